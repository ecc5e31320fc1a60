import { describe, expect, it } from "vitest";
import { IncompleteReadError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { DATA, ValueError, buffered } from "./_helpers.js";

/** CPython's `loop.call_soon(callback)`: runs after the read under test has started waiting. */
function soon(callback: () => void): void {
  setTimeout(callback, 0);
}

describe("StreamReader.readExactly() (CPython A5)", () => {
  it("test_readexactly_zero_or_less: readExactly(0) returns empty and readExactly(-1) throws a RangeError; the buffer is untouched", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect((await reader.readExactly(0)).length).toBe(0);
    expect(buffered(reader)).toBe(DATA);
    const error = await rejectionOf(reader.readExactly(-1));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain("readexactly size can not be less than zero");
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_readexactly: readExactly(36) returns two copies of DATA when three are fed, leaving the third", async () => {
    const reader = new StreamReader();
    const read = reader.readExactly(2 * DATA.length);
    soon(() => {
      reader.feedData(bytes(DATA));
      reader.feedData(bytes(DATA));
      reader.feedData(bytes(DATA));
    });
    expect(text(await read)).toBe(DATA + DATA);
    expect(buffered(reader)).toBe(DATA);
  });

  it("readExactly() waits across several separate feeds until it has n bytes", async () => {
    const reader = new StreamReader();
    const read = track(reader.readExactly(6));
    for (const chunk of ["ab", "cd", "e"]) {
      reader.feedData(bytes(chunk));
      await eventLoopTurn();
      expect(read.settled).toBe(false);
    }
    reader.feedData(bytes("fg"));
    expect(text(await read.promise)).toBe("abcdef");
    expect(buffered(reader)).toBe("g");
  });

  it("test_readexactly_limit: readExactly(5) with limit=3 returns 5 bytes: not bounded by the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("chunk"));
    expect(text(await reader.readExactly(5))).toBe("chunk");
    expect(buffered(reader)).toBe("");
  });

  it("test_readexactly_eof: readExactly(36) throws IncompleteReadError with the 18 bytes fed before EOF and empties the buffer", async () => {
    const reader = new StreamReader();
    const read = reader.readExactly(2 * DATA.length);
    soon(() => {
      reader.feedData(bytes(DATA));
      reader.feedEof();
    });
    const error = await rejectionOf(read);
    expect(error).toBeInstanceOf(IncompleteReadError);
    const incomplete = error as IncompleteReadError;
    expect(text(incomplete.partial)).toBe(DATA);
    expect(incomplete.expected).toBe(36);
    expect(incomplete.message).toBe("18 bytes read on a total of 36 expected bytes");
    expect(buffered(reader)).toBe("");
  });

  it("test_readexactly_exception: after setException() readExactly(2) throws the stored exception", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line\n"));
    expect(text(await reader.readExactly(2))).toBe("li");
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.readExactly(2))).toBe(error);
  });

  it("readExactly(-1) after setException() throws a RangeError: the argument check comes first", async () => {
    const reader = new StreamReader();
    reader.setException(new ValueError());
    expect(await rejectionOf(reader.readExactly(-1))).toBeInstanceOf(RangeError);
  });

  it('readExactly() throws a RangeError naming n for a non-integer, and never calls "5" a non-integer', async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    expect(await rejectionOf(reader.readExactly(1.5))).toEqual(
      new RangeError("Cannot read exactly: n should be a non-negative integer, got 1.5"),
    );
    for (const n of [Number.NaN, Infinity, 2 ** 53])
      expect(await rejectionOf(reader.readExactly(n))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.readExactly("5" as unknown as number))).toEqual(
      new TypeError('Cannot read exactly: n should be a number, got "5" (string)'),
    );
    expect(buffered(reader)).toBe("abc");
  });
});
