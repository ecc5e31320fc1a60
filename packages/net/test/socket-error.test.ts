import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { openConnection, SocketError } from "@asyncstreams/net";
import { HOST, startRawServer } from "@asyncstreams/test-utils/node";

describe("SocketError", () => {
  it("is a StreamError that keeps the system code, details and Node's error as cause", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const error = new SocketError("Cannot connect to 127.0.0.1:9: refused", {
      code: "ECONNREFUSED",
      cause,
      syscall: "connect",
      address: "127.0.0.1",
      port: 9,
    });
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SocketError");
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.message).toBe("Cannot connect to 127.0.0.1:9: refused");
    expect(error.cause).toBe(cause);
    expect(error.syscall).toBe("connect");
    expect(error.address).toBe("127.0.0.1");
    expect(error.port).toBe(9);
  });

  it("leaves the optional details undefined when not given", () => {
    const error = new SocketError("Connection lost: reset", { code: "ECONNRESET" });
    expect(error.cause).toBeUndefined();
    expect(error.syscall).toBeUndefined();
    expect(error.address).toBeUndefined();
    expect(error.port).toBeUndefined();
  });

  it("is what a refused connection rejects with: code, syscall, address and port come from Node's error", async () => {
    const raw = await startRawServer();
    await raw.close();
    const failure = await openConnection({ host: HOST, port: raw.port }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    const error = failure as SocketError;
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.syscall).toBe("connect");
    expect(error.address).toBe(HOST);
    expect(error.port).toBe(raw.port);
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as { code?: unknown }).code).toBe("ECONNREFUSED");
    expect(error.message).toBe(`Cannot connect to ${HOST}:${raw.port}: ${(error.cause as Error).message}`);
  });
});
