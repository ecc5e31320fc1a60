import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { bytes, rejectionOf } from "@asyncstreams/test-utils";
import { buffered } from "./_helpers.js";

describe("LimitOverrunError", () => {
  it("test_LimitOverrunError_pickleable: keeps its message and consumed, and rebuilding it from them gives the same error", () => {
    const error = new LimitOverrunError("message", 10);
    expect(error.message).toBe("message");
    expect(error.consumed).toBe(10);
    // Python pickles it through __reduce__: (type(self), (self.args[0], self.consumed)).
    const copy = new LimitOverrunError(error.message, error.consumed);
    expect(copy.message).toBe("message");
    expect(copy.consumed).toBe(10);
    expect(copy.code).toBe(error.code);
  });

  it("is a StreamError with the stable code ERR_LIMIT_OVERRUN and its own name", () => {
    const error = new LimitOverrunError("message", 0);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_LIMIT_OVERRUN");
    expect(error.name).toBe("LimitOverrunError");
  });

  it("is what readUntil() throws over the limit, with consumed = bytes searched, keeping the bytes", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("too long\n"));
    const error = (await rejectionOf(reader.readUntil(bytes("\n")))) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message).toBe("Separator is found, but chunk is longer than limit");
    expect(error.consumed).toBe(8);
    expect(buffered(reader)).toBe("too long\n");
  });

  it("is what readLine() throws where asyncio raises ValueError, with the same message", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("abcd"));
    const error = (await rejectionOf(reader.readLine())) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message).toBe("Separator is not found, and chunk exceed the limit");
    expect(error.consumed).toBe(4);
  });
});
