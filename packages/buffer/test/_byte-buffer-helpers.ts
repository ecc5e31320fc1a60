/**
 * Shared helpers of the ByteBuffer tests: byte constants and naive reference models (bytes and text
 * come from the test toolkit).
 */
import { ByteBuffer } from "@asyncstreams/buffer";
import type { SeparatorMatch } from "@asyncstreams/buffer";
import { expect } from "vitest";
import fc from "fast-check";
import { bytes } from "@asyncstreams/test-utils";

export const CR = 13;
export const LF = 10;
export const CRLF = Uint8Array.of(CR, LF);

export function code(char: string): number {
  return char.charCodeAt(0);
}

/** A buffer that holds each string as one appended chunk. */
export function bufferOf(...chunks: string[]): ByteBuffer {
  const buffer = new ByteBuffer();
  for (const chunk of chunks) buffer.append(bytes(chunk));
  return buffer;
}

// The model: plain arrays of byte values and the most obvious loops, sharing no code with ByteBuffer.

export function naiveStartsWith(haystack: ArrayLike<number>, separator: ArrayLike<number>, position: number): boolean {
  if (position < 0 || position + separator.length > haystack.length) return false;
  for (let i = 0; i < separator.length; i++) if (haystack[position + i] !== separator[i]) return false;
  return true;
}

export function naiveIndexOf(haystack: ArrayLike<number>, separator: ArrayLike<number>, fromIndex = 0): number {
  for (let start = Math.max(0, fromIndex); start + separator.length <= haystack.length; start++) {
    if (naiveStartsWith(haystack, separator, start)) return start;
  }
  return -1;
}

/** asyncio 3.13's rule spelled out: walk match ends left to right; at each end, the first listed separator wins. */
export function naiveFindFirst(
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
export function expectNoSharedBytes(results: readonly Uint8Array[]): void {
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

/** Arbitraries over a small alphabet, so that separator matches are frequent. */
export const byteArbitrary = fc.constantFrom(97, 98, LF);
export const separatorArbitrary = fc.array(byteArbitrary, { minLength: 1, maxLength: 4 });
export const separatorsArbitrary = fc
  .array(separatorArbitrary, { minLength: 1, maxLength: 3 })
  .map((separators) => [...separators].sort((a, b) => a.length - b.length));
export const streamArbitrary = fc.record({
  separators: separatorsArbitrary,
  steps: fc.array(fc.record({ take: fc.nat({ max: 3 }), chunk: fc.array(byteArbitrary, { maxLength: 6 }) }), {
    maxLength: 40,
  }),
});
