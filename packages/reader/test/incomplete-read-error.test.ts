import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { IncompleteReadError, StreamReader } from "@asyncstreams/reader";
import { bytes, rejectionOf, text } from "@asyncstreams/test-utils";
import { buffered } from "./_helpers.js";

describe("IncompleteReadError", () => {
  it("test_IncompleteReadError_pickleable: keeps partial and expected, and rebuilding it from them gives the same error", () => {
    const error = new IncompleteReadError(bytes("abc"), 10);
    expect(error.message).toBe("3 bytes read on a total of 10 expected bytes");
    expect(text(error.partial)).toBe("abc");
    expect(error.expected).toBe(10);
    // Python pickles it through __reduce__: (type(self), (self.partial, self.expected)).
    const copy = new IncompleteReadError(error.partial, error.expected);
    expect(copy.message).toBe(error.message);
    expect(copy.partial).toEqual(error.partial);
    expect(copy.expected).toBe(error.expected);
    expect(copy.code).toBe(error.code);
  });

  it("says 'undefined expected bytes' when expected is null, as asyncio's None", () => {
    const error = new IncompleteReadError(bytes("some dataAA"), null);
    expect(error.message).toBe("11 bytes read on a total of undefined expected bytes");
    expect(error.expected).toBeNull();
  });

  it("is a StreamError with the stable code ERR_INCOMPLETE_READ and its own name", () => {
    const error = new IncompleteReadError(new Uint8Array(0), 0);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_INCOMPLETE_READ");
    expect(error.name).toBe("IncompleteReadError");
    expect(error.message).toBe("0 bytes read on a total of 0 expected bytes");
  });

  it("is what readExactly() throws at EOF, holding the bytes it removed from the reader", async () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array([1, 2]));
    reader.feedEof();
    const error = (await rejectionOf(reader.readExactly(4))) as IncompleteReadError;
    expect(error).toBeInstanceOf(IncompleteReadError);
    expect(Array.from(error.partial)).toEqual([1, 2]);
    expect(error.expected).toBe(4);
    expect(buffered(reader)).toBe("");
  });
});
