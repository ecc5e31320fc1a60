import { describe, it, expect } from "vitest";
import { ByteBuffer } from "@asyncstreams/buffer";
import { bytes, text } from "@asyncstreams/test-utils";
import { CRLF, LF, bufferOf, code } from "./_byte-buffer-helpers.js";

describe("ByteBuffer indexOfByte()", () => {
  it("indexOfByte() finds a byte in the first chunk, in a later chunk, or nowhere", () => {
    const buffer = bufferOf("abc", "def", "ga");
    expect(buffer.indexOfByte(code("a"))).toBe(0);
    expect(buffer.indexOfByte(code("e"))).toBe(4);
    expect(buffer.indexOfByte(code("g"))).toBe(6);
    expect(buffer.indexOfByte(code("z"))).toBe(-1);
  });

  it("indexOfByte() starts at fromIndex, also in the middle of a chunk", () => {
    const buffer = bufferOf("abca", "bca");
    expect(buffer.indexOfByte(code("a"), 1)).toBe(3);
    expect(buffer.indexOfByte(code("a"), 3)).toBe(3);
    expect(buffer.indexOfByte(code("a"), 4)).toBe(6);
    expect(buffer.indexOfByte(code("b"), 2)).toBe(4);
    expect(buffer.indexOfByte(code("a"), 6)).toBe(6);
  });

  it("indexOfByte() returns -1 when fromIndex is at or beyond the length", () => {
    const buffer = bufferOf("aa", "a");
    expect(buffer.indexOfByte(code("a"), 2)).toBe(2);
    expect(buffer.indexOfByte(code("a"), 3)).toBe(-1);
    expect(buffer.indexOfByte(code("a"), 100)).toBe(-1);
  });

  it('indexOfByte(), indexOf() and findFirst() refuse a negative fromIndex (it never means "from the end")', () => {
    const buffer = bufferOf("abcdef", "ab");
    for (const search of [
      () => buffer.indexOfByte(code("d"), -1),
      () => buffer.indexOf(bytes("ab"), -10),
      () => buffer.findFirst([bytes("a")], -1),
    ]) {
      expect(search).toThrow(RangeError);
    }
    expect(() => new ByteBuffer().indexOfByte(code("a"), -1)).toThrow(
      "Cannot search the buffer: fromIndex should be a non-negative integer, got -1",
    );
  });

  it("indexOfByte() counts positions from the front after take() and discard()", () => {
    const buffer = bufferOf("abc", "abc");
    buffer.take(1);
    expect(buffer.indexOfByte(code("a"))).toBe(2);
    expect(buffer.indexOfByte(code("b"))).toBe(0);
    buffer.discard(2);
    expect(buffer.indexOfByte(code("a"))).toBe(0);
    expect(buffer.indexOfByte(code("c"))).toBe(2);
  });

  it("indexOfByte() finds bytes before the position where an earlier search stopped", () => {
    const buffer = bufferOf("ab", "cd", "ab");
    expect(buffer.indexOfByte(code("a"), 3)).toBe(4);
    expect(buffer.indexOfByte(code("a"))).toBe(0);
    expect(buffer.indexOfByte(code("z"))).toBe(-1);
    expect(buffer.indexOfByte(code("c"))).toBe(2);
    expect(buffer.indexOfByte(code("b"), 5)).toBe(5);
    expect(buffer.indexOfByte(code("b"), 1)).toBe(1);
  });
});

describe("ByteBuffer indexOf()", () => {
  it("indexOf() throws a RangeError for an empty separator", () => {
    expect(() => new ByteBuffer().indexOf(new Uint8Array(0))).toThrow(RangeError);
    expect(() => bufferOf("abc").indexOf(new Uint8Array(0), 1)).toThrow(/empty/);
  });

  it("indexOf() with a one-byte separator agrees with indexOfByte()", () => {
    const buffer = bufferOf("a\nb", "\n");
    for (let from = 0; from <= 5; from++) {
      expect(buffer.indexOf(Uint8Array.of(LF), from)).toBe(buffer.indexOfByte(LF, from));
    }
    expect(buffer.indexOf(Uint8Array.of(LF), 2)).toBe(3);
  });

  it("indexOf() finds a multi-byte separator inside one chunk", () => {
    expect(bufferOf("GET / HTTP/1.1\r\nHost").indexOf(CRLF)).toBe(14);
    expect(bufferOf("xx", "abc", "yy").indexOf(bytes("abc"))).toBe(2);
  });

  it("indexOf() finds a separator that straddles two chunks", () => {
    expect(bufferOf("GET /\r", "\nHost").indexOf(CRLF)).toBe(5);
    expect(bufferOf("ab", "cd").indexOf(bytes("bcd"))).toBe(1);
  });

  it("indexOf() finds a separator that straddles three or more chunks", () => {
    const buffer = bufferOf("xab", "c", "d", "efy");
    expect(buffer.indexOf(bytes("bcde"))).toBe(2);
    expect(buffer.indexOf(bytes("abcdef"))).toBe(1);
    expect(bufferOf("\r\n", "\r", "\n").indexOf(bytes("\r\n\r\n"))).toBe(0);
  });

  it("indexOf() starts at fromIndex in the middle of a chunk and skips earlier matches", () => {
    const buffer = bufferOf("abXab", "Xab");
    expect(buffer.indexOf(bytes("ab"))).toBe(0);
    expect(buffer.indexOf(bytes("ab"), 1)).toBe(3);
    expect(buffer.indexOf(bytes("ab"), 4)).toBe(6);
    expect(buffer.indexOf(bytes("ab"), 6)).toBe(6);
    expect(buffer.indexOf(bytes("ab"), 7)).toBe(-1);
    expect(buffer.indexOf(bytes("bX"), 2)).toBe(4);
  });

  it("indexOf() returns -1 when fromIndex is beyond the length", () => {
    const buffer = bufferOf("ab", "ab");
    expect(buffer.indexOf(bytes("ab"), 3)).toBe(-1);
    expect(buffer.indexOf(bytes("ab"), 4)).toBe(-1);
    expect(buffer.indexOf(bytes("ab"), 100)).toBe(-1);
  });

  it("indexOf() returns -1 when a candidate near the end matches its first byte but does not fit", () => {
    const buffer = bufferOf("xxa", "b");
    expect(buffer.indexOf(bytes("abc"))).toBe(-1);
    expect(buffer.indexOf(bytes("bc"))).toBe(-1);
    buffer.append(bytes("c"));
    expect(buffer.indexOf(bytes("abc"))).toBe(2);
    expect(buffer.indexOf(bytes("bc"))).toBe(3);
  });

  it("indexOf() keeps looking after a candidate that matches only in part", () => {
    expect(bufferOf("aab").indexOf(bytes("ab"))).toBe(1);
    expect(bufferOf("abab", "abc").indexOf(bytes("ababc"))).toBe(2);
    expect(bufferOf("\r\r", "\r\n").indexOf(CRLF)).toBe(2);
    expect(bufferOf("a\r", "x\r", "\n").indexOf(CRLF)).toBe(3);
  });

  it("indexOf() returns -1 when the separator is longer than the buffer", () => {
    expect(bufferOf("ab").indexOf(bytes("abc"))).toBe(-1);
    expect(new ByteBuffer().indexOf(CRLF)).toBe(-1);
  });

  it("indexOf() counts positions from the front after take() of a partial chunk", () => {
    const buffer = bufferOf("ab\r", "\ncd\r\n");
    expect(buffer.indexOf(CRLF)).toBe(2);
    expect(text(buffer.take(4))).toBe("ab\r\n");
    expect(buffer.indexOf(CRLF)).toBe(2);
    buffer.take(1);
    expect(buffer.indexOf(CRLF)).toBe(1);
    expect(buffer.indexOf(CRLF, 2)).toBe(-1);
  });
});

describe("ByteBuffer findFirst()", () => {
  it("findFirst() picks the match that ends first, as asyncio 3.13 does", () => {
    const buffer = bufferOf("ABCDEFG");
    expect(buffer.findFirst([bytes("DEF"), bytes("BCDE")])).toEqual({ start: 1, end: 5, index: 1 });
  });

  it("findFirst() breaks a tie in match end in favour of the separator listed first", () => {
    const buffer = bufferOf("ab\r\n");
    expect(buffer.findFirst([Uint8Array.of(LF), CRLF])).toEqual({ start: 3, end: 4, index: 0 });
    expect(buffer.findFirst([CRLF, Uint8Array.of(LF)])).toEqual({ start: 2, end: 4, index: 0 });
  });

  it("findFirst() picks a longer separator over a shorter one that ends later", () => {
    expect(bufferOf("abcx").findFirst([bytes("x"), bytes("abc")])).toEqual({ start: 0, end: 3, index: 1 });
  });

  it("findFirst() returns undefined when no separator occurs or none is given", () => {
    const buffer = bufferOf("abc");
    expect(buffer.findFirst([bytes("x"), bytes("cd")])).toBeUndefined();
    expect(buffer.findFirst([])).toBeUndefined();
  });

  it("findFirst() starts at fromIndex and finds matches that straddle chunks", () => {
    const buffer = bufferOf("a\r", "\nb\n");
    const separators = [CRLF, Uint8Array.of(LF)];
    expect(buffer.findFirst(separators)).toEqual({ start: 1, end: 3, index: 0 });
    expect(buffer.findFirst(separators, 2)).toEqual({ start: 2, end: 3, index: 1 });
    expect(buffer.findFirst(separators, 3)).toEqual({ start: 4, end: 5, index: 1 });
    expect(buffer.findFirst(separators, 5)).toBeUndefined();
  });

  it("findFirst() throws a RangeError when any separator is empty", () => {
    expect(() => bufferOf("abc").findFirst([bytes("a"), new Uint8Array(0)])).toThrow(RangeError);
  });
});

describe("ByteBuffer startsWith()", () => {
  it("startsWith() compares at the front by default and at any position across chunks", () => {
    const buffer = bufferOf("ab", "cd");
    expect(buffer.startsWith(bytes("ab"))).toBe(true);
    expect(buffer.startsWith(bytes("abc"))).toBe(true);
    expect(buffer.startsWith(bytes("abcd"))).toBe(true);
    expect(buffer.startsWith(bytes("b"))).toBe(false);
    expect(buffer.startsWith(bytes("bc"), 1)).toBe(true);
    expect(buffer.startsWith(bytes("cd"), 2)).toBe(true);
    expect(buffer.startsWith(bytes("d"), 3)).toBe(true);
    expect(buffer.startsWith(bytes("abd"))).toBe(false);
  });

  it("startsWith() returns false when the buffer ends before the separator does", () => {
    const buffer = bufferOf("ab", "cd");
    expect(buffer.startsWith(bytes("abcde"))).toBe(false);
    expect(buffer.startsWith(bytes("cde"), 2)).toBe(false);
    expect(buffer.startsWith(bytes("a"), 4)).toBe(false);
  });

  it("startsWith() refuses a negative position instead of answering false", () => {
    const buffer = bufferOf("ab");
    expect(() => buffer.startsWith(bytes("a"), -1)).toThrow(
      "Cannot compare the buffer: position should be a non-negative integer, got -1",
    );
    expect(() => buffer.startsWith(new Uint8Array(0), -1)).toThrow(RangeError);
  });

  it("startsWith() accepts an empty separator at any position up to the length", () => {
    const buffer = bufferOf("ab", "cd");
    expect(buffer.startsWith(new Uint8Array(0))).toBe(true);
    expect(buffer.startsWith(new Uint8Array(0), 4)).toBe(true);
    expect(buffer.startsWith(new Uint8Array(0), 5)).toBe(false);
  });

  it("startsWith() compares against the bytes left after take()", () => {
    const buffer = bufferOf("abc", "d");
    buffer.take(1);
    expect(buffer.startsWith(bytes("bcd"))).toBe(true);
    expect(buffer.startsWith(bytes("ab"))).toBe(false);
    buffer.take(2);
    expect(buffer.startsWith(bytes("d"))).toBe(true);
  });
});
