import { describe, it, expect } from "vitest";
import { ByteBuffer } from "@asyncstreams/buffer";
import { bytes, text } from "@asyncstreams/test-utils";
import { CRLF, LF, bufferOf, code, expectNoSharedBytes } from "./_byte-buffer-helpers.js";

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

  it("take() of zero returns an empty array and of Infinity everything", () => {
    const buffer = bufferOf("ab", "c");
    expect(buffer.take(0)).toEqual(new Uint8Array(0));
    expect(buffer.length).toBe(3);
    expect(text(buffer.peek(Infinity))).toBe("abc");
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

  it("peek() clamps its count to what is buffered", () => {
    const buffer = bufferOf("ab", "c");
    expect(text(buffer.peek(10))).toBe("abc");
    expect(buffer.peek(0)).toEqual(new Uint8Array(0));
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

  it("discard() of zero changes nothing", () => {
    const buffer = bufferOf("ab", "c");
    buffer.discard(0);
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
