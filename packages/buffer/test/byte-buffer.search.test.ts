import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ByteBuffer, portableByteSearch } from "@asyncstreams/buffer";
import type { ByteSearch } from "@asyncstreams/buffer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (view: Uint8Array | undefined): string | undefined =>
  view === undefined ? undefined : decoder.decode(view);

function bufferOf(chunks: readonly string[], search?: ByteSearch): ByteBuffer {
  const buffer = new ByteBuffer({ search });
  for (const chunk of chunks) buffer.append(bytes(chunk));
  return buffer;
}

describe("ByteBuffer.takeThrough()", () => {
  it("takes through the byte when it lies in the first chunk within maxIndex", () => {
    const buffer = bufferOf(["ab\ncd\n", "ef"]);
    expect(text(buffer.takeThrough(10, 10))).toBe("ab\n");
    expect(text(buffer.takeThrough(10, 10))).toBe("cd\n");
    expect(buffer.length).toBe(2);
  });

  it("returns undefined and changes nothing when the byte is only in a later chunk", () => {
    const buffer = bufferOf(["abc", "d\n"]);
    expect(buffer.takeThrough(10, 100)).toBeUndefined();
    expect(text(buffer.peek())).toBe("abcd\n");
  });

  it("returns undefined and changes nothing when the byte lies beyond maxIndex", () => {
    const buffer = bufferOf(["abcd\n"]);
    expect(buffer.takeThrough(10, 3)).toBeUndefined();
    expect(text(buffer.takeThrough(10, 4))).toBe("abcd\n");
    expect(buffer.length).toBe(0);
  });

  it("takes through a byte sequence in the first chunk, and not one that straddles chunks", () => {
    const buffer = bufferOf(["a\r\nb\r", "\nc"]);
    expect(text(buffer.takeThrough(bytes("\r\n"), 10))).toBe("a\r\n");
    expect(buffer.takeThrough(bytes("\r\n"), 10)).toBeUndefined();
    expect(text(buffer.peek())).toBe("b\r\nc");
  });

  it("returns undefined on an empty buffer", () => {
    expect(new ByteBuffer().takeThrough(10, 10)).toBeUndefined();
  });

  it("returns the fed chunk itself when the byte ends it", () => {
    const chunk = bytes("line\n");
    const buffer = new ByteBuffer();
    buffer.append(chunk);
    expect(buffer.takeThrough(10, 10)).toBe(chunk);
  });
});

describe("ByteBuffer({ search })", () => {
  it("runs the given search inside each chunk", () => {
    const calls: (number | string)[] = [];
    const search: ByteSearch = (haystack, needle, from) => {
      calls.push(typeof needle === "number" ? needle : decoder.decode(needle));
      return portableByteSearch(haystack, needle, from);
    };
    const buffer = bufferOf(["a\r", "\nb"], search);
    expect(buffer.indexOf(bytes("\r\n"))).toBe(1);
    expect(buffer.indexOfByte(98)).toBe(3);
    expect(calls).toContain("\r\n");
    expect(calls).toContain(98);
  });

  it("portableByteSearch finds byte sequences and single bytes, or -1", () => {
    const haystack = bytes("a\r\nb\r\n");
    expect(portableByteSearch(haystack, bytes("\r\n"), 0)).toBe(1);
    expect(portableByteSearch(haystack, bytes("\r\n"), 2)).toBe(4);
    expect(portableByteSearch(haystack, bytes("\r\n"), 5)).toBe(-1);
    expect(portableByteSearch(haystack, 98, 0)).toBe(3);
    expect(portableByteSearch(haystack, bytes("\n\n"), 0)).toBe(-1);
  });

  it("indexOf() with any search agrees with a naive search for every chunking", () => {
    const alphabet = fc.constantFrom(97, 98, 13, 10);
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }),
        fc.array(alphabet, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(60)),
        (data, sep, cuts) => {
          const input = Uint8Array.from(data);
          const separator = Uint8Array.from(sep);
          const buffer = new ByteBuffer();
          let last = 0;
          for (const cut of [...new Set(cuts)].sort((a, b) => a - b).filter((c) => c < input.length)) {
            buffer.append(input.slice(last, cut));
            last = cut;
          }
          buffer.append(input.slice(last));
          let expected = -1;
          for (let i = 0; i + separator.length <= input.length && expected === -1; i++) {
            if (separator.every((byte, j) => input[i + j] === byte)) expected = i;
          }
          expect(buffer.indexOf(separator)).toBe(expected);
        },
      ),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 500 },
    );
  });
});
