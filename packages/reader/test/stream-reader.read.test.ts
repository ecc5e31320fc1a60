import { describe, expect, it } from "vitest";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { DATA, ValueError, buffered } from "./_helpers.js";

/** CPython's `loop.call_soon(callback)`: runs after the read under test has started waiting. */
function soon(callback: () => void): void {
  setTimeout(callback, 0);
}

describe("StreamReader constructor", () => {
  it("test_invalid_limit: a limit of 0 or below throws a RangeError saying the limit cannot be <= 0", () => {
    for (const limit of [0, -1]) {
      expect(() => new StreamReader({ limit })).toThrow(RangeError);
      expect(() => new StreamReader({ limit })).toThrow("Limit cannot be <= 0");
    }
  });

  it("rejects a limit that is not a positive integer or Infinity with a RangeError naming limit and the value", () => {
    expect(() => new StreamReader({ limit: Number.NaN })).toThrow(
      new RangeError("Cannot create a StreamReader: limit should be a positive integer or Infinity, got NaN"),
    );
    for (const limit of [2.5, 2 ** 53, -Infinity]) expect(() => new StreamReader({ limit })).toThrow(RangeError);
    expect(() => new StreamReader({ limit: "8" as unknown as number })).toThrow(
      new TypeError('Cannot create a StreamReader: limit should be a number, got "8" (string)'),
    );
    expect(new StreamReader({ limit: Infinity }).limit).toBe(Infinity);
  });

  it('limit 2.5 with overflow "chunk" is refused: it used to return ab, cd, fg and never e or h', () => {
    expect(() => new StreamReader({ limit: 2.5, overflow: "chunk" })).toThrow(RangeError);
  });

  it('an unknown option or overflow policy is refused by name (a misspelled policy acted as "skip")', async () => {
    expect(() => new StreamReader({ limt: 8 } as never)).toThrow(
      new TypeError('Cannot create a StreamReader: unknown option "limt"; the options are limit, overflow and search'),
    );
    expect(() => new StreamReader({ search: "x" } as never)).toThrow(
      new TypeError('Cannot create a StreamReader: search should be a ByteSearch function or undefined, got "x"'),
    );
    expect(() => new StreamReader({ overflow: "skipp" as never })).toThrow(
      'Cannot create a StreamReader: overflow should be "error", "skip" or "chunk", got "skipp"',
    );
    const reader = new StreamReader({ limit: 2 });
    reader.feedData(bytes("abcdef\nxy\n"));
    expect(await rejectionOf(reader.readLine({ overflow: "Skip" as never }))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.readUntil(bytes("\n"), { overflow: "drop" as never }))).toBeInstanceOf(RangeError);
    expect(buffered(reader)).toBe("abcdef\nxy\n");
  });

  it("keeps the limit it was given", () => {
    expect(new StreamReader({ limit: 3 }).limit).toBe(3);
  });
});

describe("StreamReader.feedData() and read() (CPython A2)", () => {
  it("test_feed_empty_data: feeding an empty chunk leaves the buffer empty", () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array(0));
    expect(buffered(reader)).toBe("");
  });

  it("test_feed_nonempty_data: fed bytes are buffered as they are", () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_read_zero: read(0) returns an empty array and leaves the buffer untouched", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect((await reader.read(0)).length).toBe(0);
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_read: read(30) waiting on an empty stream returns the 18 bytes fed later, fewer than asked", async () => {
    const reader = new StreamReader();
    const read = reader.read(30);
    soon(() => reader.feedData(bytes(DATA)));
    expect(text(await read)).toBe(DATA);
    expect(buffered(reader)).toBe("");
  });

  it("test_read_line_breaks: read(5) returns the first chunk and leaves the second buffered", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line1"));
    reader.feedData(bytes("line2"));
    expect(text(await reader.read(5))).toBe("line1");
    expect(buffered(reader)).toBe("line2");
  });

  it("test_read_eof: a waiting read(1024) returns an empty array when EOF is fed", async () => {
    const reader = new StreamReader();
    const read = reader.read(1024);
    soon(() => reader.feedEof());
    expect((await read).length).toBe(0);
    expect(buffered(reader)).toBe("");
  });

  it("test_read_until_eof: read(-1) returns every chunk fed before EOF, joined", async () => {
    const reader = new StreamReader();
    const read = reader.read(-1);
    soon(() => {
      reader.feedData(bytes("chunk1\n"));
      reader.feedData(bytes("chunk2"));
      reader.feedEof();
    });
    expect(text(await read)).toBe("chunk1\nchunk2");
    expect(buffered(reader)).toBe("");
  });

  it("read() with no argument reads until EOF, like read(-1)", async () => {
    const reader = new StreamReader();
    const read = reader.read();
    reader.feedData(bytes("a"));
    await eventLoopTurn();
    reader.feedData(bytes("b"));
    reader.feedEof();
    expect(text(await read)).toBe("ab");
  });

  it("test_read_exception: after setException() read(2) throws even though bytes are still buffered", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line\n"));
    expect(text(await reader.read(2))).toBe("li");
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.read(2))).toBe(error);
    expect(buffered(reader)).toBe("ne\n");
  });

  it("test_read_limit: read(5) with limit=3 returns all 5 bytes: read() is not bounded by the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("chunk"));
    expect(text(await reader.read(5))).toBe("chunk");
    expect(buffered(reader)).toBe("");
  });

  it("read(-5) reads until EOF exactly as read(-1) does", async () => {
    const reader = new StreamReader();
    const read = reader.read(-5);
    reader.feedData(bytes("ab"));
    await eventLoopTurn();
    expect(track(read).settled).toBe(false);
    reader.feedData(bytes("cd"));
    reader.feedEof();
    expect(text(await read)).toBe("abcd");
  });

  it("read(0) after setException() throws the stored exception: the exception check comes first", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("data"));
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.read(0))).toBe(error);
  });

  it("read(n) at EOF with an empty buffer returns an empty array at once", async () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect((await reader.read(10)).length).toBe(0);
    expect((await reader.read(-1)).length).toBe(0);
  });

  it("read(n) throws a RangeError naming n for a number that is not an integer, a TypeError for a string, and consumes nothing", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    expect(await rejectionOf(reader.read(1.5))).toEqual(
      new RangeError("Cannot read: n should be an integer (negative: until EOF) or Infinity, got 1.5"),
    );
    for (const n of [Number.NaN, 2 ** 53, -Infinity])
      expect(await rejectionOf(reader.read(n))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.read("2" as unknown as number))).toEqual(
      new TypeError('Cannot read: n should be a number, got "2" (string)'),
    );
    expect(buffered(reader)).toBe("abc");
    expect(text(await reader.read(Infinity))).toBe("abc");
  });

  it("feedData(b'') does not wake a waiting read", async () => {
    const reader = new StreamReader();
    const read = track(reader.read(5));
    reader.feedData(new Uint8Array(0));
    await eventLoopTurn();
    expect(read.settled).toBe(false);
    expect(String(reader)).toBe("<StreamReader waiter=<Promise pending>>");
    reader.feedEof();
    await eventLoopTurn();
    expect(read.settled).toBe(true);
    expect(read.value!.length).toBe(0);
  });

  it("feedData() throws a TypeError for something that is not a Uint8Array", () => {
    const reader = new StreamReader();
    expect(() => reader.feedData("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(buffered(reader)).toBe("");
  });

  it("read(-1) keeps the bytes buffered when an exception interrupts it (a deliberate difference from asyncio)", async () => {
    const reader = new StreamReader({ limit: 2 });
    reader.feedData(bytes("abcdef"));
    const read = reader.read(-1);
    await eventLoopTurn();
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(read)).toBe(error);
    expect(buffered(reader)).toBe("abcdef");
  });
});

describe("StreamReader.atEof() (CPython A3)", () => {
  it("test_at_eof: atEof() turns true only once EOF was fed and the last byte was read", async () => {
    const reader = new StreamReader();
    expect(reader.atEof()).toBe(false);
    reader.feedData(bytes("some data\n"));
    expect(reader.atEof()).toBe(false);
    await reader.readLine();
    expect(reader.atEof()).toBe(false);
    reader.feedData(bytes("some data\n"));
    reader.feedEof();
    expect(reader.atEof()).toBe(false);
    await reader.readLine();
    expect(reader.atEof()).toBe(true);
  });
});
