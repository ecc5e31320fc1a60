/**
 * The shared values of `ByteBuffer`'s chunk list, and the copy out of it. Internal: the list and its
 * placeholders are the buffer's own business.
 */

/** Drop consumed chunk slots from the front of the chunk list once this many have piled up. */
export const COMPACT_AFTER = 64;

/** The placeholder for a consumed chunk slot, and the source of the view cache's first buffer. */
export const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);

/**
 * The chunk list of every empty buffer: shared, so never written (`append()` replaces it with a
 * one-slot list of its own). A request/response connection empties its buffer once per message;
 * `chunks.length = 0` there was a runtime call that also freed the list's storage, for the next
 * `push()` to allocate 17 slots again, and an idle connection kept an empty list of its own. Built
 * with one element, then popped, so that it has the elements kind of every other chunk list (an
 * empty literal would not, and the reads of `#chunks` would see two kinds).
 */
export const NO_CHUNKS: Uint8Array[] = [EMPTY];
NO_CHUNKS.pop();

/**
 * Copies the first `out.length` live bytes of a chunk list into `out` and returns `out`, starting at
 * chunk `index`, `offset` bytes in: what `ByteBuffer.take()` and `peek()` share. The list must hold
 * that many bytes from there.
 */
export function copyFront(out: Uint8Array, chunks: readonly Uint8Array[], index: number, offset: number): Uint8Array {
  const count = out.length;
  let written = 0;
  while (written < count) {
    const chunk = chunks[index++]!;
    const size = Math.min(chunk.length - offset, count - written);
    out.set(offset === 0 && size === chunk.length ? chunk : chunk.subarray(offset, offset + size), written);
    written += size;
    offset = 0;
  }
  return out;
}
