// @ts-check
/** Every in-memory workload feeds its stream in chunks of this size (the last one may be shorter). */
export const CHUNK_SIZE = 65_536;

const encoder = new TextEncoder();

/**
 * Encodes an ASCII/UTF-8 string.
 *
 * @param {string} text
 * @returns {Uint8Array}
 */
export function bytes(text) {
  return encoder.encode(text);
}

/**
 * Cuts the stream `record` × `count` into {@link CHUNK_SIZE}-byte chunks without ever building the
 * whole stream: each chunk is one copy out of a tile of repeated records, and owns its own
 * ArrayBuffer (as chunks from a socket do), so a zero-copy view keeps only its own chunk alive.
 *
 * @param {Uint8Array} record The repeated unit (a line, a frame, a header block).
 * @param {number} count How many times it repeats.
 * @returns {Uint8Array[]}
 */
export function cutPeriodic(record, count) {
  const period = record.length;
  const total = period * count;
  const repeats = Math.ceil((CHUNK_SIZE + period) / period);
  const tile = new Uint8Array(period * repeats);
  for (let i = 0; i < repeats; i++) tile.set(record, i * period);
  /** @type {Uint8Array[]} */
  const chunks = [];
  for (let start = 0; start < total; start += CHUNK_SIZE) {
    const phase = start % period;
    chunks.push(tile.slice(phase, phase + Math.min(CHUNK_SIZE, total - start)));
  }
  return chunks;
}

/**
 * Overwrites the last bytes of a chunked stream (used to plant a separator at its very end).
 *
 * @param {Uint8Array[]} chunks Chunks from {@link cutPeriodic}; modified in place.
 * @param {Uint8Array} tail Bytes to write over the end; must fit in the last chunk.
 */
export function patchEnd(chunks, tail) {
  const last = chunks[chunks.length - 1];
  if (last === undefined || last.length < tail.length)
    throw new RangeError("Cannot patch the stream end: last chunk too short");
  last.set(tail, last.length - tail.length);
}

/**
 * Sums chunk lengths.
 *
 * @param {readonly Uint8Array[]} chunks
 * @returns {number}
 */
export function totalLength(chunks) {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}
