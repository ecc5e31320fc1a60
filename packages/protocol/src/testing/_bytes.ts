/** Joins chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}

/** mulberry32: a small seeded generator, so that a failing chunking can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `length` pseudo-random bytes. */
export function randomBytes(length: number, next: () => number): Uint8Array {
  const data = new Uint8Array(length);
  for (let index = 0; index < length; index++) data[index] = Math.floor(next() * 256);
  return data;
}

/**
 * A chunk whose bytes tell where it belongs: a 4-byte big-endian serial number, then a pattern
 * derived from it, so that a lost, repeated or reordered chunk never compares equal.
 */
export function numberedChunk(serial: number, length: number): Uint8Array {
  const chunk = new Uint8Array(length);
  for (let index = 0; index < length; index++) chunk[index] = (serial * 131 + index * 7 + (index >> 8)) & 0xff;
  if (length >= 4) new DataView(chunk.buffer).setUint32(0, serial >>> 0);
  return chunk;
}

/** Splits `data` at the given offsets (ascending, inside the data). */
export function splitAt(data: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(data.slice(start, offset));
    start = offset;
  }
  chunks.push(data.slice(start));
  return chunks;
}

/** Splits `data` into chunks of random sizes between 1 and `max`, some small, some large. */
export function randomChunks(data: Uint8Array, max: number, next: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (start < data.length) {
    const small = next() < 0.5;
    const size = 1 + Math.floor(next() * (small ? 16 : max));
    chunks.push(data.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * Says how `actual` differs from `expected`, for failure messages: lengths and the first
 * differing offset with a few bytes around it.
 */
export function describeDifference(actual: Uint8Array, expected: Uint8Array): string {
  let index = 0;
  const shorter = Math.min(actual.length, expected.length);
  while (index < shorter && actual[index] === expected[index]) index++;
  const around = (data: Uint8Array): string =>
    Array.from(data.subarray(Math.max(0, index - 4), index + 8), (byte) => byte.toString(16).padStart(2, "0")).join(
      " ",
    );
  return `got ${actual.length} bytes, expected ${expected.length}; first difference at offset ${index} (got [${around(actual)}], expected [${around(expected)}] from offset ${Math.max(0, index - 4)})`;
}

/** Whether `prefix` is the start of `data`. */
export function isPrefix(prefix: Uint8Array, data: Uint8Array): boolean {
  return prefix.length <= data.length && sameBytes(prefix, data.subarray(0, prefix.length));
}
