import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { ConnectionLostError } from "@asyncstreams/writer";

describe("ConnectionLostError", () => {
  it("has asyncio's message 'Connection lost' and the stable code ERR_CONNECTION_LOST", () => {
    const error = new ConnectionLostError();
    expect(error.message).toBe("Connection lost");
    expect(error.code).toBe("ERR_CONNECTION_LOST");
    expect(error.name).toBe("ConnectionLostError");
    expect(String(error)).toBe("ConnectionLostError: Connection lost");
  });

  it("extends StreamError and Error", () => {
    const error = new ConnectionLostError();
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
  });

  it("keeps a custom message and the cause", () => {
    const cause = new Error("socket hang up");
    const error = new ConnectionLostError("Cannot drain: connection lost", { cause });
    expect(error.message).toBe("Cannot drain: connection lost");
    expect(error.cause).toBe(cause);
    expect(error.code).toBe("ERR_CONNECTION_LOST");
  });

  it("has no cause unless one is given", () => {
    expect(new ConnectionLostError()).not.toHaveProperty("cause");
  });

  it("has a stack trace", () => {
    expect(new ConnectionLostError().stack).toContain("ConnectionLostError");
  });
});
