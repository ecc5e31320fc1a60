import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError } from "@asyncstreams/protocol";

describe("ConnectionResetError", () => {
  it("has the system code ECONNRESET and the message 'Connection reset by peer'", () => {
    const error = new ConnectionResetError();
    expect(error.code).toBe("ECONNRESET");
    expect(error.message).toBe("Connection reset by peer");
    expect(error.name).toBe("ConnectionResetError");
    expect(String(error)).toBe("ConnectionResetError: Connection reset by peer");
  });

  it("extends StreamError and Error", () => {
    const error = new ConnectionResetError();
    expect(error).toBeInstanceOf(ConnectionResetError);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
  });

  it("keeps the runtime's error as cause and a custom message", () => {
    const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const error = new ConnectionResetError("Cannot read: connection reset by peer", { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe("Cannot read: connection reset by peer");
    expect(error.code).toBe("ECONNRESET");
  });

  it("has no cause unless one is given", () => {
    expect(new ConnectionResetError()).not.toHaveProperty("cause");
  });
});
