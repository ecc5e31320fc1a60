/**
 * The searches behind `ByteBuffer`, as plain functions of what they read, so that they need none of
 * its private state. Arguments are positional, not an options object: these run on every search
 * and allocate nothing. The walk over the chunk list stays in the class, which owns the cursor.
 */
import type { ByteBuffer } from "./byte-buffer.js";
import type { ByteSearch } from "./byte-search.js";
import type { SeparatorMatch } from "./separator-match.js";

/**
 * Finds `needle` (a byte value, or a sequence of two bytes or more) starting in chunk `index` at or
 * after `offset`; a sequence may run into the next chunks but not past `end`, where the buffered
 * bytes end, counted from the chunk's byte 0.
 *
 * @returns The match's offset in the chunk, or -1.
 */
export function findIn(
  chunks: readonly Uint8Array[],
  search: ByteSearch,
  needle: number | Uint8Array,
  index: number,
  offset: number,
  end: number,
): number {
  const chunk = chunks[index]!;
  if (typeof needle === "number") return search(chunk, needle, offset);
  const size = needle.length;
  // A match inside this chunk starts before any that straddles its end: search in place first.
  const inside = search(chunk, needle, offset);
  if (inside !== -1) return inside;
  // Then the few positions from which a match would run into the next chunks.
  const first = needle[0]!;
  for (
    let found = chunk.indexOf(first, Math.max(offset, chunk.length - size + 1));
    found !== -1;
    found = chunk.indexOf(first, found + 1)
  ) {
    if (found + size > end) break; // no later candidate fits either
    if (matchesAcross(chunks, needle, index, found)) return found;
  }
  return -1;
}

/** Compares `separator` with the bytes from `offset` in chunk `index` on, across chunk ends. */
export function matchesAcross(
  chunks: readonly Uint8Array[],
  separator: Uint8Array,
  index: number,
  offset: number,
): boolean {
  let chunk = chunks[index]!;
  let at = offset;
  for (let i = 0; i < separator.length; i++) {
    if (at === chunk.length) {
      chunk = chunks[++index]!;
      at = 0;
    }
    if (chunk[at++] !== separator[i]) return false;
  }
  return true;
}

/**
 * The body of `ByteBuffer.findFirst()`, which checks `fromIndex` first: runs the buffer's own
 * `indexOf()` once per separator and keeps the match that ends earliest, the first listed on a tie.
 */
export function findFirst(
  buffer: ByteBuffer,
  separators: readonly Uint8Array[],
  fromIndex: number,
): SeparatorMatch | undefined {
  let best: SeparatorMatch | undefined;
  for (let which = 0; which < separators.length; which++) {
    const separator = separators[which]!;
    const start = buffer.indexOf(separator, fromIndex);
    if (start === -1) continue;
    const end = start + separator.length;
    if (best === undefined || end < best.end) best = { start, end, index: which };
  }
  return best;
}
