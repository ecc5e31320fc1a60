import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ByteBuffer } from "@asyncstreams/buffer";
import type { SeparatorMatch } from "@asyncstreams/buffer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const CR = 13;
const LF = 10;
const CRLF = Uint8Array.of(CR, LF);

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function text(view: Uint8Array): string {
  return decoder.decode(view);
}

function code(char: string): number {
  return char.charCodeAt(0);
}

/** A buffer that holds each string as one appended chunk. */
function bufferOf(...chunks: string[]): ByteBuffer {
  const buffer = new ByteBuffer();
  for (const chunk of chunks) buffer.append(bytes(chunk));
  return buffer;
}

// The model: plain arrays of byte values and the most obvious loops, sharing no code with ByteBuffer.

function naiveStartsWith(haystack: ArrayLike<number>, separator: ArrayLike<number>, position: number): boolean {
  if (position < 0 || position + separator.length > haystack.length) return false;
  for (let i = 0; i < separator.length; i++) if (haystack[position + i] !== separator[i]) return false;
  return true;
}

function naiveIndexOf(haystack: ArrayLike<number>, separator: ArrayLike<number>, fromIndex = 0): number {
  for (let start = Math.max(0, fromIndex); start + separator.length <= haystack.length; start++) {
    if (naiveStartsWith(haystack, separator, start)) return start;
  }
  return -1;
}

/** asyncio 3.13's rule spelled out: walk match ends left to right; at each end, the first listed separator wins. */
function naiveFindFirst(
  haystack: ArrayLike<number>,
  separators: readonly ArrayLike<number>[],
  fromIndex = 0,
): SeparatorMatch | undefined {
  const from = Math.max(0, fromIndex);
  for (let end = from + 1; end <= haystack.length; end++) {
    for (let index = 0; index < separators.length; index++) {
      const start = end - separators[index]!.length;
      if (start >= from && naiveStartsWith(haystack, separators[index]!, start)) return { start, end, index };
    }
  }
  return undefined;
}

/** Fails when two results share any byte of memory. */
function expectNoSharedBytes(results: readonly Uint8Array[]): void {
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const a = results[i]!;
      const b = results[j]!;
      if (a.length === 0 || b.length === 0 || a.buffer !== b.buffer) continue;
      const disjoint = a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset;
      expect(disjoint, `results ${i} and ${j} share memory`).toBe(true);
    }
  }
}

describe("ByteBuffer append() and length", () => {
  it("a new buffer is empty and finds nothing", () => {
    const buffer = new ByteBuffer();
    expect(buffer.length).toBe(0);
    expect(buffer.indexOfByte(0)).toBe(-1);
    expect(buffer.indexOf(bytes("ab"))).toBe(-1);
    expect(buffer.findFirst([bytes("a")])).toBeUndefined();
    expect(buffer.startsWith(bytes("a"))).toBe(false);
    expect(buffer.peek()).toEqual(new Uint8Array(0));
    expect(buffer.takeAll()).toEqual(new Uint8Array(0));
  });

  it("length counts the bytes of every appended chunk and drops the bytes taken out", () => {
    const buffer = bufferOf("abc", "de", "f");
    expect(buffer.length).toBe(6);
    buffer.take(2);
    expect(buffer.length).toBe(4);
    buffer.discard(3);
    expect(buffer.length).toBe(1);
    buffer.peek();
    expect(buffer.length).toBe(1);
    buffer.takeAll();
    expect(buffer.length).toBe(0);
  });

  it("append() ignores an empty chunk, so it adds no chunk boundary", () => {
    const buffer = new ByteBuffer();
    const first = bytes("ab");
    buffer.append(new Uint8Array(0));
    buffer.append(first);
    buffer.append(new Uint8Array(0));
    buffer.append(bytes("cd"));
    expect(buffer.length).toBe(4);
    expect(buffer.take(2)).toBe(first);
    expect(text(buffer.takeAll())).toBe("cd");

    const onlyEmpty = new ByteBuffer();
    onlyEmpty.append(new Uint8Array(0));
    expect(onlyEmpty.length).toBe(0);
    expect(onlyEmpty.take(1)).toEqual(new Uint8Array(0));
  });

  it("append() does not copy: a chunk taken whole comes back as the same object", () => {
    const buffer = new ByteBuffer();
    const first = bytes("hello");
    const second = bytes("world");
    buffer.append(first);
    buffer.append(second);
    expect(buffer.take(5)).toBe(first);
    expect(buffer.takeAll()).toBe(second);
  });

  it("append() keeps the bounds of a chunk that is a view into a larger array", () => {
    const backing = bytes("XXabcdYY");
    const chunk = backing.subarray(2, 6);
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    buffer.append(bytes("e"));
    expect(buffer.length).toBe(5);
    expect(buffer.indexOfByte(code("X"))).toBe(-1);
    expect(buffer.indexOfByte(code("Y"))).toBe(-1);
    expect(buffer.indexOf(bytes("de"))).toBe(3);
    expect(text(buffer.peek())).toBe("abcde");
    expect(buffer.take(4)).toBe(chunk);
    expect(text(buffer.takeAll())).toBe("e");
  });
});

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

  it("indexOfByte() treats a negative fromIndex as the front of the buffer", () => {
    const buffer = bufferOf("abcdef", "ab");
    buffer.take(3); // "def" left in the first chunk, then "ab"
    expect(buffer.indexOfByte(code("d"), -1)).toBe(0);
    expect(buffer.indexOfByte(code("a"), -3)).toBe(3);
    expect(buffer.indexOfByte(code("b"), -2)).toBe(4);
    expect(buffer.indexOfByte(code("c"), -5)).toBe(-1);
    expect(buffer.indexOf(bytes("ab"), -10)).toBe(3);
    expect(bufferOf("ab", "ca").indexOfByte(code("a"), -1)).toBe(0);
  });

  it("indexOfByte() and indexOf() return -1 for a negative fromIndex on an empty buffer", () => {
    const buffer = new ByteBuffer();
    expect(buffer.indexOfByte(code("a"), -1)).toBe(-1);
    expect(buffer.indexOf(bytes("ab"), -1)).toBe(-1);
    expect(buffer.findFirst([bytes("a")], -1)).toBeUndefined();
    buffer.append(bytes("a"));
    buffer.take(1);
    expect(buffer.indexOfByte(code("a"), -1)).toBe(-1);
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

  it("startsWith() returns false at a negative position", () => {
    const buffer = bufferOf("ab");
    expect(buffer.startsWith(bytes("a"), -1)).toBe(false);
    expect(buffer.startsWith(new Uint8Array(0), -1)).toBe(false);
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

describe("ByteBuffer take()", () => {
  it("take() returns a view of the chunk when the bytes lie in one chunk", () => {
    const chunk = bytes("abcdef");
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    buffer.append(bytes("gh"));
    const first = buffer.take(2);
    expect(text(first)).toBe("ab");
    expect(first.buffer).toBe(chunk.buffer);
    expect(first.byteOffset).toBe(chunk.byteOffset);
    const second = buffer.take(3);
    expect(text(second)).toBe("cde");
    expect(second.buffer).toBe(chunk.buffer);
    expect(second.byteOffset).toBe(chunk.byteOffset + 2);
    const rest = buffer.take(1);
    expect(text(rest)).toBe("f");
    expect(rest.buffer).toBe(chunk.buffer);
    expect(rest).not.toBe(chunk);
    expect(text(buffer.takeAll())).toBe("gh");
  });

  it("take() returns the chunk itself when it takes exactly one whole untouched chunk", () => {
    const chunks = [bytes("ab"), bytes("cde"), bytes("f")];
    const buffer = new ByteBuffer();
    for (const chunk of chunks) buffer.append(chunk);
    expect(buffer.take(2)).toBe(chunks[0]);
    expect(buffer.take(3)).toBe(chunks[1]);
    expect(buffer.take(1)).toBe(chunks[2]);
  });

  it("take() returns one fresh copy when the bytes span chunks", () => {
    const first = bytes("abc");
    const second = bytes("def");
    const buffer = new ByteBuffer();
    buffer.append(first);
    buffer.append(second);
    const spanning = buffer.take(4);
    expect(text(spanning)).toBe("abcd");
    expect(spanning.buffer).not.toBe(first.buffer);
    expect(spanning.buffer).not.toBe(second.buffer);
    const rest = buffer.take(2);
    expect(text(rest)).toBe("ef");
    expect(rest.buffer).toBe(second.buffer);
    expect(rest.byteOffset).toBe(second.byteOffset + 1);
  });

  it("take() results never alias each other or the bytes still buffered", () => {
    const buffer = bufferOf("abcdef", "ghij", "kl");
    const results: Uint8Array[] = [];
    const expected = ["ab", "cdefg", "h", "ijk", "l"];
    for (const part of expected) {
      const result = buffer.take(part.length);
      expect(text(result)).toBe(part);
      results.push(result);
      const before = text(buffer.peek());
      result.fill(code("*")); // the caller owns the result and may write into it
      expect(text(buffer.peek())).toBe(before);
    }
    expectNoSharedBytes(results);
    expect(results.map(text)).toEqual(expected.map((part) => "*".repeat(part.length)));
  });

  it("take() of more than is buffered returns everything and empties the buffer", () => {
    const buffer = bufferOf("ab", "c");
    expect(text(buffer.take(10))).toBe("abc");
    expect(buffer.length).toBe(0);
    expect(buffer.take(1)).toEqual(new Uint8Array(0));
  });

  it("take() of zero or a negative count returns an empty array and removes nothing", () => {
    const buffer = bufferOf("ab", "c");
    expect(buffer.take(0)).toEqual(new Uint8Array(0));
    expect(buffer.take(-3)).toEqual(new Uint8Array(0));
    expect(buffer.length).toBe(3);
    expect(text(buffer.takeAll())).toBe("abc");
  });

  it("take() on an empty buffer returns an empty array", () => {
    expect(new ByteBuffer().take(5)).toEqual(new Uint8Array(0));
  });
});

describe("ByteBuffer takeAll()", () => {
  it("takeAll() returns every byte across chunks as one copy and empties the buffer", () => {
    const first = bytes("ab");
    const buffer = new ByteBuffer();
    buffer.append(first);
    buffer.append(bytes("cd"));
    const all = buffer.takeAll();
    expect(text(all)).toBe("abcd");
    expect(all.buffer).not.toBe(first.buffer);
    expect(buffer.length).toBe(0);
    expect(buffer.indexOfByte(code("a"))).toBe(-1);
  });

  it("takeAll() returns the chunk itself when one untouched chunk is buffered", () => {
    const chunk = bytes("abc");
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    expect(buffer.takeAll()).toBe(chunk);
  });

  it("takeAll() returns a view of the rest of a partly taken chunk", () => {
    const chunk = bytes("abcd");
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    buffer.take(1);
    const rest = buffer.takeAll();
    expect(text(rest)).toBe("bcd");
    expect(rest.buffer).toBe(chunk.buffer);
    expect(rest.byteOffset).toBe(chunk.byteOffset + 1);
  });

  it("takeAll() on an empty buffer returns an empty array and the buffer stays usable", () => {
    const buffer = new ByteBuffer();
    expect(buffer.takeAll()).toEqual(new Uint8Array(0));
    buffer.append(bytes("x\n"));
    expect(buffer.indexOfByte(LF)).toBe(1);
  });
});

describe("ByteBuffer peek()", () => {
  it("peek() copies bytes from the front and leaves the buffer intact", () => {
    const chunk = bytes("abcdef");
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    const peeked = buffer.peek(3);
    expect(text(peeked)).toBe("abc");
    expect(peeked.buffer).not.toBe(chunk.buffer);
    expect(buffer.length).toBe(6);
    expect(buffer.take(6)).toBe(chunk);
  });

  it("peek() without a count copies everything across chunks", () => {
    const buffer = bufferOf("ab", "cd", "e");
    expect(text(buffer.peek())).toBe("abcde");
    expect(text(buffer.peek(3))).toBe("abc");
    expect(buffer.length).toBe(5);
    expect(text(buffer.takeAll())).toBe("abcde");
  });

  it("peek() clamps its count to what is buffered and to zero", () => {
    const buffer = bufferOf("ab", "c");
    expect(text(buffer.peek(10))).toBe("abc");
    expect(buffer.peek(0)).toEqual(new Uint8Array(0));
    expect(buffer.peek(-1)).toEqual(new Uint8Array(0));
    expect(new ByteBuffer().peek()).toEqual(new Uint8Array(0));
    expect(buffer.length).toBe(3);
  });

  it("peek() copies from a partly taken chunk", () => {
    const buffer = bufferOf("abc", "def");
    buffer.take(2);
    expect(text(buffer.peek(2))).toBe("cd");
    expect(text(buffer.peek())).toBe("cdef");
    expect(text(buffer.take(2))).toBe("cd");
  });

  it("peek() results are independent: writing into one changes nothing buffered", () => {
    const buffer = bufferOf("abc");
    buffer.peek().fill(0);
    buffer.peek(1).fill(0);
    expect(text(buffer.peek())).toBe("abc");
    expect(text(buffer.takeAll())).toBe("abc");
  });
});

describe("ByteBuffer discard()", () => {
  it("discard() drops bytes inside one chunk and across chunks", () => {
    const buffer = bufferOf("abc", "de", "fgh");
    buffer.discard(1);
    expect(text(buffer.peek())).toBe("bcdefgh");
    buffer.discard(4);
    expect(text(buffer.peek())).toBe("fgh");
    expect(buffer.length).toBe(3);
    buffer.discard(3);
    expect(buffer.length).toBe(0);
  });

  it("discard() of more than is buffered empties the buffer", () => {
    const buffer = bufferOf("ab", "c");
    buffer.discard(100);
    expect(buffer.length).toBe(0);
    expect(buffer.takeAll()).toEqual(new Uint8Array(0));
  });

  it("discard() of zero or a negative count changes nothing", () => {
    const buffer = bufferOf("ab", "c");
    buffer.discard(0);
    buffer.discard(-2);
    expect(text(buffer.takeAll())).toBe("abc");
  });

  it("discard() after a search keeps later searches and takes in step", () => {
    const buffer = bufferOf("a\r", "\nb", "c\r\n", "d");
    expect(buffer.indexOf(CRLF, 3)).toBe(5);
    buffer.discard(4);
    expect(buffer.indexOf(CRLF)).toBe(1);
    expect(buffer.indexOfByte(code("d"))).toBe(3);
    expect(text(buffer.take(3))).toBe("c\r\n");
    expect(text(buffer.takeAll())).toBe("d");
  });
});

describe("ByteBuffer clear()", () => {
  it("clear() removes everything and the buffer works as new afterwards", () => {
    const buffer = bufferOf("ab", "cd", "ea");
    expect(buffer.indexOfByte(code("a"), 1)).toBe(5);
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.indexOfByte(code("a"))).toBe(-1);
    expect(buffer.peek()).toEqual(new Uint8Array(0));
    const chunk = bytes("xaxaxaxa");
    buffer.append(chunk);
    // Position 5 lies beyond where the search before clear() stopped (chunk 2, position 4).
    expect(buffer.indexOfByte(code("a"), 5)).toBe(5);
    expect(buffer.indexOfByte(code("a"))).toBe(1);
    expect(buffer.indexOf(bytes("ax"), 4)).toBe(5);
    expect(buffer.take(8)).toBe(chunk);
  });
});

describe("ByteBuffer with many chunks", () => {
  // Before the fix in #copyFront() this take() never returned: compacting the chunk list renumbered
  // the head under the loop that dropped the consumed chunks.
  it("take() across chunks keeps the rest intact when the chunk list is compacted mid-take", () => {
    const buffer = new ByteBuffer();
    for (let i = 0; i < 128; i++) buffer.append(Uint8Array.of(i));
    expect(Array.from(buffer.take(66))).toEqual(Array.from({ length: 66 }, (_, i) => i));
    expect(buffer.length).toBe(62);
    expect(buffer.indexOfByte(100)).toBe(34);
    expect(Array.from(buffer.takeAll())).toEqual(Array.from({ length: 62 }, (_, i) => 66 + i));
  });

  it("reading lines from thousands of one-byte chunks returns every line in order", () => {
    const buffer = new ByteBuffer();
    const stream = bytes("ab\nc\r\n\ndef\n".repeat(300));
    for (const value of stream) buffer.append(Uint8Array.of(value));
    const lines: string[] = [];
    for (;;) {
      const end = buffer.indexOfByte(LF);
      if (end === -1) break;
      lines.push(text(buffer.take(end + 1)));
    }
    expect(buffer.length).toBe(0);
    expect(lines).toEqual(Array.from({ length: 300 }, () => ["ab\n", "c\r\n", "\n", "def\n"]).flat());
  });

  it("take() one chunk at a time through thousands of chunks returns the chunks themselves", () => {
    const buffer = new ByteBuffer();
    const chunks = Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i % 251, (i + 1) % 251));
    for (const chunk of chunks) buffer.append(chunk);
    for (let i = 0; i < chunks.length; i++) {
      // Now and then, search from position 2 (the next chunk) for the next chunk's first byte.
      if (i % 97 === 0 && i + 1 < chunks.length) expect(buffer.indexOfByte(chunks[i + 1]![0]!, 2)).toBe(2);
      expect(buffer.take(2)).toBe(chunks[i]);
    }
    expect(buffer.length).toBe(0);
  });

  it("discard() across thousands of chunks lands on the right byte", () => {
    const buffer = new ByteBuffer();
    for (let i = 0; i < 5000; i++) buffer.append(Uint8Array.of(i % 256));
    buffer.discard(4000);
    expect(buffer.length).toBe(1000);
    expect(buffer.peek(2)).toEqual(Uint8Array.of(4000 % 256, 4001 % 256));
    buffer.discard(999);
    expect(buffer.takeAll()).toEqual(Uint8Array.of(4999 % 256));
  });
});

// ---------------------------------------------------------------------------------------------
// Chunk-boundary sweep: every answer must be the same however the input was split into chunks.

interface SweepCase {
  name: string;
  input: string;
  separators: string[];
}

const sweepCases: SweepCase[] = [
  { name: "an HTTP head", input: "GET /\r\nA: b\r\n\r\nxy", separators: ["\r\n\r\n", "\r\n"] },
  { name: "the asyncio example", input: "ABCDEFG", separators: ["DEF", "BCDE"] },
  { name: "self-overlapping separators", input: "aaabaabab", separators: ["aab", "abab", "b"] },
  { name: "a separator with a repeated prefix", input: "abababcabc", separators: ["ababc", "abc"] },
  { name: "lines with lone CRs", input: "a\rb\r\r\nc\n", separators: ["\n", "\r\n"] },
];

/** Every way to cut `input` into two chunks, three chunks (short inputs), and single bytes. */
function splitsOf(input: Uint8Array): Uint8Array[][] {
  // slice(): each chunk gets its own memory, so reading past a chunk's end cannot go unnoticed.
  const splits: Uint8Array[][] = [];
  for (let i = 0; i <= input.length; i++) splits.push([input.slice(0, i), input.slice(i)]);
  for (let i = 1; i < input.length; i++) {
    for (let j = i + 1; j < input.length; j++) splits.push([input.slice(0, i), input.slice(i, j), input.slice(j)]);
  }
  splits.push(Array.from(input, (value) => Uint8Array.of(value)));
  return splits;
}

interface Answers {
  indexOf: number[][];
  indexOfByte: number[][];
  findFirst: (SeparatorMatch | undefined)[];
  startsWith: boolean[][];
  records: string[];
  pieces: string[];
}

/** The positions to query: forwards, then backwards so that searches also move back. */
function queryOrder(length: number): number[] {
  const forwards = Array.from({ length: length + 2 }, (_, i) => i);
  return [...forwards, ...[...forwards].reverse()];
}

function bufferAnswers(chunks: readonly Uint8Array[], separators: readonly Uint8Array[]): Answers {
  const fill = (): ByteBuffer => {
    const buffer = new ByteBuffer();
    for (const chunk of chunks) buffer.append(chunk);
    return buffer;
  };
  const buffer = fill();
  const order = queryOrder(buffer.length);
  const distinct = [...new Set(chunks.flatMap((chunk) => Array.from(chunk)))];
  const answers: Answers = {
    indexOf: separators.map((separator) => order.map((from) => buffer.indexOf(separator, from))),
    indexOfByte: distinct.map((value) => order.map((from) => buffer.indexOfByte(value, from))),
    findFirst: order.map((from) => buffer.findFirst(separators, from)),
    startsWith: separators.map((separator) => order.map((position) => buffer.startsWith(separator, position))),
    records: [],
    pieces: [],
  };
  // Read records as a stream reader would: up to the earliest-ending separator, then the rest.
  for (let match = buffer.findFirst(separators); match; match = buffer.findFirst(separators)) {
    answers.records.push(text(buffer.take(match.end)));
  }
  answers.records.push(text(buffer.takeAll()));
  for (let size = 1; size <= 4; size++) {
    const sized = fill();
    const pieces: string[] = [];
    while (sized.length > 0) pieces.push(text(sized.take(size)));
    answers.pieces.push(pieces.join("|"));
  }
  return answers;
}

function modelAnswers(input: Uint8Array, separators: readonly Uint8Array[]): Answers {
  const order = queryOrder(input.length);
  const distinct = [...new Set(input)];
  const records: string[] = [];
  let rest = input;
  for (let match = naiveFindFirst(rest, separators); match; match = naiveFindFirst(rest, separators)) {
    records.push(text(rest.slice(0, match.end)));
    rest = rest.slice(match.end);
  }
  records.push(text(rest));
  const pieces: string[] = [];
  for (let size = 1; size <= 4; size++) {
    const cut: string[] = [];
    for (let i = 0; i < input.length; i += size) cut.push(text(input.slice(i, i + size)));
    pieces.push(cut.join("|"));
  }
  return {
    indexOf: separators.map((separator) => order.map((from) => naiveIndexOf(input, separator, from))),
    indexOfByte: distinct.map((value) => order.map((from) => naiveIndexOf(input, [value], from))),
    findFirst: order.map((from) => naiveFindFirst(input, separators, from)),
    startsWith: separators.map((separator) => order.map((position) => naiveStartsWith(input, separator, position))),
    records,
    pieces,
  };
}

describe("ByteBuffer chunk-boundary sweep", () => {
  it.each(sweepCases)("an unsplit buffer holding $name answers like the naive model", ({ input, separators }) => {
    const data = bytes(input);
    const encoded = separators.map(bytes);
    expect(bufferAnswers([data], encoded)).toEqual(modelAnswers(data, encoded));
  });

  it.each(sweepCases)("every split of $name gives the answers of the unsplit input", ({ input, separators }) => {
    const data = bytes(input);
    const encoded = separators.map(bytes);
    const reference = bufferAnswers([data], encoded);
    for (const chunks of splitsOf(data)) {
      const label = JSON.stringify(chunks.map(text));
      expect(bufferAnswers(chunks, encoded), label).toEqual(reference);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Resumable search, as StreamReader.readuntil() does it: search, and when nothing is found, wait
// for more bytes and search again from the first position where a match could still start.

const byteArbitrary = fc.constantFrom(97, 98, LF);
const separatorArbitrary = fc.array(byteArbitrary, { minLength: 1, maxLength: 4 });
const separatorsArbitrary = fc
  .array(separatorArbitrary, { minLength: 1, maxLength: 3 })
  .map((separators) => [...separators].sort((a, b) => a.length - b.length));
const streamArbitrary = fc.record({
  separators: separatorsArbitrary,
  steps: fc.array(fc.record({ take: fc.nat({ max: 3 }), chunk: fc.array(byteArbitrary, { maxLength: 6 }) }), {
    maxLength: 40,
  }),
});

describe("ByteBuffer resumable search", () => {
  it("a resumed indexOf() finds a CRLF that arrives one byte at a time", () => {
    const buffer = new ByteBuffer();
    const lines: string[] = [];
    let resume = 0;
    for (const value of bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")) {
      buffer.append(Uint8Array.of(value));
      const end = buffer.indexOf(CRLF, resume);
      if (end === -1) {
        resume = Math.max(0, buffer.length + 1 - CRLF.length);
        continue;
      }
      lines.push(text(buffer.take(end + CRLF.length)));
      resume = 0;
    }
    expect(lines).toEqual(["GET / HTTP/1.1\r\n", "Host: a\r\n", "\r\n"]);
  });

  it("indexOf() resumed after appends, with takes from the front in between, matches a naive search", () => {
    fc.assert(
      fc.property(streamArbitrary, ({ separators, steps }) => {
        const separator = Uint8Array.from(separators[0]!);
        const buffer = new ByteBuffer();
        const model: number[] = [];
        let resume = 0;
        for (const step of steps) {
          expect(Array.from(buffer.take(step.take))).toEqual(model.splice(0, step.take));
          resume = Math.max(0, resume - step.take);
          buffer.append(Uint8Array.from(step.chunk));
          model.push(...step.chunk);
          for (;;) {
            const found = buffer.indexOf(separator, resume);
            expect(found).toBe(naiveIndexOf(model, separator, resume));
            // Resuming never skips a match: the answer is the same as a search from the front.
            expect(found).toBe(naiveIndexOf(model, separator));
            if (found === -1) break;
            const end = found + separator.length;
            expect(Array.from(buffer.take(end))).toEqual(model.splice(0, end));
            resume = 0;
          }
          resume = Math.max(0, buffer.length + 1 - separator.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("findFirst() resumed after appends, with takes from the front in between, matches a naive search", () => {
    fc.assert(
      fc.property(streamArbitrary, ({ separators, steps }) => {
        const encoded = separators.map((separator) => Uint8Array.from(separator));
        const longest = encoded[encoded.length - 1]!.length;
        const buffer = new ByteBuffer();
        const model: number[] = [];
        let resume = 0;
        for (const step of steps) {
          expect(Array.from(buffer.take(step.take))).toEqual(model.splice(0, step.take));
          resume = Math.max(0, resume - step.take);
          buffer.append(Uint8Array.from(step.chunk));
          model.push(...step.chunk);
          for (;;) {
            const match = buffer.findFirst(encoded, resume);
            expect(match).toEqual(naiveFindFirst(model, encoded, resume));
            expect(match).toEqual(naiveFindFirst(model, encoded));
            if (match === undefined) break;
            expect(Array.from(buffer.take(match.end))).toEqual(model.splice(0, match.end));
            resume = 0;
          }
          resume = Math.max(0, buffer.length + 1 - longest);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: random operation sequences against a model that remembers, for every byte,
// which appended chunk it came from, so that views, copies and identity can be checked too.

type Operation =
  | { kind: "append"; values: number[]; padBefore: number; padAfter: number }
  | { kind: "take"; n: number }
  | { kind: "takeAll" }
  | { kind: "discard"; n: number }
  | { kind: "peek"; n: number | undefined }
  | { kind: "clear" }
  | { kind: "indexOfByte"; value: number; from: number }
  | { kind: "indexOf"; separator: number[]; from: number }
  | { kind: "findFirst"; separators: number[][]; from: number }
  | { kind: "startsWith"; separator: number[]; position: number };

interface ModelByte {
  value: number;
  chunk: Uint8Array;
  offset: number;
}

/** Operations whose counts and positions reach up to about `reach`. */
function operationArbitrary(reach: number): fc.Arbitrary<Operation> {
  const countArbitrary = fc.integer({ min: -1, max: reach });
  const fromArbitrary = fc.integer({ min: -2, max: 2 * reach });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("append" as const),
        values: fc.array(byteArbitrary, { maxLength: 7 }),
        padBefore: fc.nat({ max: 2 }),
        padAfter: fc.nat({ max: 2 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("take" as const), n: countArbitrary }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("takeAll" as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("discard" as const), n: countArbitrary }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("peek" as const), n: fc.option(countArbitrary, { nil: undefined }) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("indexOfByte" as const),
        value: fc.constantFrom(97, 98, 99, LF),
        from: fromArbitrary,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant("indexOf" as const), separator: separatorArbitrary, from: fromArbitrary }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("findFirst" as const),
        separators: separatorsArbitrary,
        from: fromArbitrary,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("startsWith" as const),
        separator: fc.array(byteArbitrary, { maxLength: 4 }),
        position: fc.integer({ min: -1, max: 2 * reach }),
      }),
    },
  );
}

/** Hundreds of one- and two-byte chunks, enough for the buffer to compact its chunk list. */
const manyChunksArbitrary: fc.Arbitrary<Operation[]> = fc
  .array(fc.array(byteArbitrary, { minLength: 1, maxLength: 2 }), { minLength: 64, maxLength: 300 })
  .map((chunks) => chunks.map((values) => ({ kind: "append" as const, values, padBefore: 0, padAfter: 1 })));

function clampCount(n: number, length: number): number {
  return Math.min(Math.max(0, n), length);
}

function runOperations(operations: readonly Operation[]): void {
  const buffer = new ByteBuffer();
  let model: ModelByte[] = [];
  const appendedMemory = new Set<ArrayBufferLike>();
  const taken: { result: Uint8Array; values: number[] }[] = [];
  const values = (): number[] => model.map((entry) => entry.value);

  const checkTaken = (result: Uint8Array, entries: readonly ModelByte[]): void => {
    expect(Array.from(result)).toEqual(entries.map((entry) => entry.value));
    taken.push({ result, values: Array.from(result) });
    const first = entries[0];
    if (first === undefined) return;
    if (entries.every((entry) => entry.chunk === first.chunk)) {
      // Inside one chunk: a view of it, or the chunk itself when all of it is taken.
      expect(result.buffer).toBe(first.chunk.buffer);
      expect(result.byteOffset).toBe(first.chunk.byteOffset + first.offset);
      if (entries.length === first.chunk.length) expect(result).toBe(first.chunk);
    } else {
      expect(appendedMemory.has(result.buffer)).toBe(false);
    }
  };

  for (const operation of operations) {
    switch (operation.kind) {
      case "append": {
        // Padding around the chunk holds a byte the model never uses: reading it would show.
        const backing = new Uint8Array(operation.padBefore + operation.values.length + operation.padAfter).fill(0xee);
        backing.set(operation.values, operation.padBefore);
        const chunk = backing.subarray(operation.padBefore, operation.padBefore + operation.values.length);
        buffer.append(chunk);
        appendedMemory.add(chunk.buffer);
        operation.values.forEach((value, offset) => model.push({ value, chunk, offset }));
        break;
      }
      case "take":
        checkTaken(buffer.take(operation.n), model.splice(0, clampCount(operation.n, model.length)));
        break;
      case "takeAll":
        checkTaken(buffer.takeAll(), model.splice(0, model.length));
        break;
      case "discard":
        buffer.discard(operation.n);
        model.splice(0, clampCount(operation.n, model.length));
        break;
      case "peek": {
        const peeked = operation.n === undefined ? buffer.peek() : buffer.peek(operation.n);
        expect(Array.from(peeked)).toEqual(values().slice(0, clampCount(operation.n ?? model.length, model.length)));
        expect(appendedMemory.has(peeked.buffer)).toBe(false);
        break;
      }
      case "clear":
        buffer.clear();
        model = [];
        break;
      case "indexOfByte":
        expect(buffer.indexOfByte(operation.value, operation.from)).toBe(
          naiveIndexOf(values(), [operation.value], operation.from),
        );
        break;
      case "indexOf":
        expect(buffer.indexOf(Uint8Array.from(operation.separator), operation.from)).toBe(
          naiveIndexOf(values(), operation.separator, operation.from),
        );
        break;
      case "findFirst": {
        const separators = operation.separators.map((separator) => Uint8Array.from(separator));
        expect(buffer.findFirst(separators, operation.from)).toEqual(
          naiveFindFirst(values(), separators, operation.from),
        );
        break;
      }
      case "startsWith":
        expect(buffer.startsWith(Uint8Array.from(operation.separator), operation.position)).toBe(
          naiveStartsWith(values(), operation.separator, operation.position),
        );
        break;
    }
    expect(buffer.length).toBe(model.length);
  }
  expect(Array.from(buffer.peek())).toEqual(values());
  // Every result still holds what it held when it was taken, and no two share memory.
  for (const { result, values: expected } of taken) expect(Array.from(result)).toEqual(expected);
  expectNoSharedBytes(taken.map(({ result }) => result));
}

describe("ByteBuffer properties", () => {
  it("random sequences of operations give the answers of a plain array model", () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary(12), { maxLength: 60 }), (operations) => {
        runOperations(operations);
      }),
      { numRuns: 500 },
    );
  });

  it("random operations on hundreds of small chunks give the answers of a plain array model", () => {
    fc.assert(
      fc.property(manyChunksArbitrary, fc.array(operationArbitrary(150), { maxLength: 40 }), (prefix, operations) => {
        runOperations([...prefix, ...operations]);
      }),
      { numRuns: 200 },
    );
  });

  it("the bytes taken out are the bytes appended, in order, for any chunking and take sizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 9 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 30 }),
        (chunks, sizes) => {
          const buffer = new ByteBuffer();
          for (const chunk of chunks) buffer.append(chunk);
          const out: number[] = [];
          for (const size of sizes) out.push(...buffer.take(size));
          out.push(...buffer.takeAll());
          expect(out).toEqual(chunks.flatMap((chunk) => Array.from(chunk)));
          expect(buffer.length).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Linearity guards. Nothing here is timed (speed is measured in bench/): the chunks count the
// bytes that their own indexOf() scans and how often their length is read, and the tests bound
// those counts, which a search that re-walks the buffer from the front would exceed.

const meter = { scanned: 0, searches: 0, lengthReads: 0 };

const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, "length")!
  .get!;

class MeteredChunk extends Uint8Array {
  override indexOf(searchElement: number, fromIndex = 0): number {
    const length = typedArrayLength.call(this) as number;
    const found = super.indexOf(searchElement, fromIndex);
    const from = fromIndex < 0 ? Math.max(0, length + fromIndex) : Math.min(fromIndex, length);
    meter.scanned += (found === -1 ? length : found + 1) - from;
    meter.searches++;
    return found;
  }
}

Object.defineProperty(MeteredChunk.prototype, "length", {
  get(this: Uint8Array): number {
    meter.lengthReads++;
    return typedArrayLength.call(this) as number;
  },
});

function resetMeter(): void {
  meter.scanned = 0;
  meter.searches = 0;
  meter.lengthReads = 0;
}

describe("ByteBuffer linearity", () => {
  it("resumed indexOfByte() searches scan a 16 MiB line fed in 64 KiB chunks about once", () => {
    const chunkSize = 64 * 1024;
    const chunkCount = 256;
    const total = chunkSize * chunkCount;
    const buffer = new ByteBuffer();
    const results: number[] = [];
    let scanned = 0;
    let resume = 0;
    for (let i = 0; i < chunkCount; i++) {
      const chunk = new MeteredChunk(chunkSize).fill(code("x"));
      if (i === chunkCount - 1) chunk[chunkSize - 1] = LF;
      buffer.append(chunk);
      resetMeter();
      results.push(buffer.indexOfByte(LF, resume));
      scanned += meter.scanned;
      // Each search scans the new chunk only; one that started at the front would scan it all.
      if (meter.scanned > chunkSize) expect(meter.scanned, `search after chunk ${i}`).toBeLessThanOrEqual(chunkSize);
      resume = buffer.length;
    }
    expect(results.slice(0, -1).every((result) => result === -1)).toBe(true);
    expect(results[results.length - 1]).toBe(total - 1);
    // The meter counts what the chunks' own indexOf() scans: it must have seen every byte once.
    expect(scanned).toBe(total);
    const line = buffer.take(total);
    expect(line.length).toBe(total);
    expect(line[0]).toBe(code("x"));
    expect(line[total - 2]).toBe(code("x"));
    expect(line[total - 1]).toBe(LF);
    expect(buffer.length).toBe(0);
  });

  it("resumed indexOf() searches through 1 MiB of lone CRs look at each new byte about once", () => {
    const chunkSize = 1024;
    const chunkCount = 1024;
    const total = chunkSize * chunkCount;
    const buffer = new ByteBuffer();
    let resume = 0;
    let found = -1;
    let scanned = 0;
    for (let i = 0; i < chunkCount && found === -1; i++) {
      // Every byte is a candidate for CRLF; the LF arrives only at the start of the last chunk.
      const chunk = new MeteredChunk(chunkSize).fill(CR);
      if (i === chunkCount - 1) chunk[0] = LF;
      buffer.append(chunk);
      resetMeter();
      found = buffer.indexOf(CRLF, resume);
      scanned += meter.scanned;
      const work = meter.scanned + meter.searches;
      if (work > 4 * chunkSize + 8) expect(work, `search after chunk ${i}`).toBeLessThanOrEqual(4 * chunkSize + 8);
      resume = Math.max(0, buffer.length + 1 - CRLF.length);
    }
    expect(found).toBe(total - chunkSize - 1);
    expect(buffer.length).toBe(total);
    expect(scanned).toBeLessThanOrEqual(2 * total);
    expect(scanned).toBeGreaterThan(total - chunkSize); // the meter saw the searches
    expect(buffer.take(found + 2).subarray(-3)).toEqual(Uint8Array.of(CR, CR, LF));
    expect(buffer.length).toBe(chunkSize - 1);
  });

  it("each resumed search in a 20,000-byte line of one-byte chunks touches a bounded number of chunks", () => {
    const pattern = bytes("ab\r");
    const size = 20_000;
    const buffer = new ByteBuffer();
    let resume = 0;
    let found = -1;
    let worstStep = 0;
    for (let i = 0; i < size; i++) {
      const chunk = new MeteredChunk(1);
      chunk[0] = i === size - 1 ? LF : i === size - 2 ? CR : pattern[i % pattern.length]!;
      buffer.append(chunk);
      resetMeter();
      found = buffer.indexOf(CRLF, resume);
      const work = meter.lengthReads + meter.searches;
      worstStep = Math.max(worstStep, work);
      // Fail at the first step that walks the chunk list, not after 20,000 of them.
      if (work > 64) expect(work, `search after chunk ${i}`).toBeLessThanOrEqual(64);
      if (found !== -1) break;
      resume = Math.max(0, buffer.length + 1 - CRLF.length);
    }
    expect(found).toBe(size - 2);
    expect(worstStep).toBeGreaterThan(0);
    // Taking the whole line copies across 20,000 chunks and compacts the chunk list on the way.
    const taken = buffer.take(found + CRLF.length);
    expect(taken.length).toBe(size);
    expect(text(taken.subarray(0, 6))).toBe("ab\rab\r");
    expect(buffer.length).toBe(0);
  });
});
