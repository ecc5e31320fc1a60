import { describe, it, expect } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

class ExampleError extends StreamError {
  constructor() {
    super("ERR_EXAMPLE", "Cannot do the example: it failed");
  }
}

class DeeperExampleError extends ExampleError {}

describe("StreamError", () => {
  it("StreamError keeps its code and message and is an Error", () => {
    const error = new StreamError("ERR_EXAMPLE", "Cannot read 5 bytes: stream ended after 2 bytes");
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(StreamError);
    expect(error.code).toBe("ERR_EXAMPLE");
    expect(error.message).toBe("Cannot read 5 bytes: stream ended after 2 bytes");
  });

  it("StreamError is named StreamError and shows its name in its string form", () => {
    const error = new StreamError("ERR_EXAMPLE", "Cannot do it: example");
    expect(error.name).toBe("StreamError");
    expect(String(error)).toBe("StreamError: Cannot do it: example");
  });

  it("a subclass of StreamError is named after the subclass without setting name itself", () => {
    const error = new ExampleError();
    expect(error.name).toBe("ExampleError");
    expect(String(error)).toBe("ExampleError: Cannot do the example: it failed");
    expect(error).toBeInstanceOf(StreamError);
    expect(error.code).toBe("ERR_EXAMPLE");
  });

  it("a subclass two levels down is named after the most derived class", () => {
    const error = new DeeperExampleError();
    expect(error.name).toBe("DeeperExampleError");
    expect(error).toBeInstanceOf(ExampleError);
    expect(error).toBeInstanceOf(StreamError);
  });

  it("StreamError keeps the original error as cause", () => {
    const cause = new Error("read ECONNRESET");
    const options: StreamErrorOptions = { cause };
    const error = new StreamError("ECONNRESET", "Cannot read: connection reset", options);
    expect(error.cause).toBe(cause);
  });

  it("StreamError keeps a cause that is not an Error", () => {
    const cause = { errno: -104, syscall: "read" };
    const error = new StreamError("ECONNRESET", "Cannot read: connection reset", { cause });
    expect(error.cause).toBe(cause);
  });

  it("StreamError has no cause when no options or no cause are given", () => {
    expect(Object.hasOwn(new StreamError("ERR_EXAMPLE", "Cannot do it: example"), "cause")).toBe(false);
    expect(Object.hasOwn(new StreamError("ERR_EXAMPLE", "Cannot do it: example", {}), "cause")).toBe(false);
  });

  it("StreamError can be caught and told apart by its code", () => {
    const fail = (): never => {
      throw new StreamError("ERR_SPECIFIC", "Cannot continue: specific condition");
    };
    let caught: unknown;
    try {
      fail();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StreamError);
    expect((caught as StreamError).code).toBe("ERR_SPECIFIC");
  });
});
