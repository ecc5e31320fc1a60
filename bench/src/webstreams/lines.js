// @ts-check
// The Web Streams line workload (issue 20), shared by Node, Bun and Deno: it imports nothing from
// `node:`, so one file runs on each. W1's stream (lines of 63 × "x" + "\n" in 64 KiB chunks, each
// its own ArrayBuffer) comes out of a `ReadableStream<Uint8Array>` that is half of a Web Streams
// pair, and is read (a) with `@asyncstreams/protocol`'s `createWebStreams()` and `readLine()` per
// line, (b) the same with `readLines()` (one await per batch), (c) by hand: `getReader()`, a
// `read()` loop, an `indexOf` newline split, one copy only when a line spans chunks, and (d) by
// hand with the API of (a): an awaitable `readLine()` over the same `read()` calls.
import { createWebStreams } from "@asyncstreams/protocol";
import { CHUNK_SIZE, bytes, cutPeriodic } from "../lib/chunks.js";

/** The line every stream here repeats: W1's, 63 × "x" then "\n". */
export const LINE = bytes(`${"x".repeat(63)}\n`);
const X = 0x78;
const NEWLINE = 0x0a;
/** The readers' limit, as in W1. */
export const LIMIT = 65_536;

/** How the readable half of the pair is fed. */
export const SOURCES = /** @type {const} */ (["pull", "bytes", "transform"]);
/** @typedef {(typeof SOURCES)[number]} Source */

/** The consumers, the anchor last. */
export const IMPLS = /** @type {const} */ ([
  "asyncstreams",
  "asyncstreams-batch",
  "hand-written-await",
  "hand-written",
]);
/** @typedef {(typeof IMPLS)[number]} Impl */
/** The target's anchor: a `read()` loop splitting every line of a chunk with no await per line. */
export const ANCHOR = "hand-written";
/** The like-for-like anchor of `readLine()`: a hand-written reader with one await per line. */
export const AWAIT_ANCHOR = "hand-written-await";

/**
 * A macrotask turn: W1's producer yields to the event loop after each chunk, as a socket delivers
 * one read per turn. `setImmediate` exists on Node, Bun and Deno.
 *
 * @returns {Promise<void>}
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * W1's stream for `lines` lines, cut into `chunkSize`-byte chunks (64 KiB unless a check asks for
 * an odd size, so that lines straddle chunks).
 *
 * @param {number} lines
 * @param {number} [chunkSize]
 * @returns {Uint8Array[]}
 */
export function lineChunks(lines, chunkSize = CHUNK_SIZE) {
  if (chunkSize === CHUNK_SIZE) return cutPeriodic(LINE, lines);
  const all = cutPeriodic(LINE, lines);
  const joined = new Uint8Array(lines * LINE.length);
  let at = 0;
  for (const chunk of all) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  const chunks = [];
  for (let start = 0; start < joined.length; start += chunkSize) chunks.push(joined.slice(start, start + chunkSize));
  return chunks;
}

/**
 * One end of a connection as a Web Streams pair: `readable` delivers `chunks` (one chunk, then a
 * macrotask turn, then the next, then the end), `writable` is a sink that counts what it gets.
 *
 * - `pull`: a `ReadableStream` whose `pull()` enqueues the next chunk and yields (default
 *   strategy: one chunk queued ahead), as a socket's readable does.
 * - `bytes`: the same as a byte stream (`type: "bytes"`, what `Deno.connect()` gives); each chunk's
 *   buffer is transferred into the stream.
 * - `transform`: the readable of a `TransformStream` that a producer writes into, awaiting each
 *   `write()` then a turn: two crossed-over `TransformStream`s are the in-process pair of the
 *   package's own README.
 *
 * @param {Source} source
 * @param {readonly Uint8Array[]} chunks
 * @returns {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }}
 */
export function streamPair(source, chunks) {
  const writable = new WritableStream({ write() {} });
  if (source === "transform") {
    const through = new TransformStream();
    void (async () => {
      const writer = through.writable.getWriter();
      for (const chunk of chunks) {
        await writer.write(chunk);
        await nextTurn();
      }
      await writer.close();
    })();
    return { readable: through.readable, writable };
  }
  let next = 0;
  /** @type {UnderlyingDefaultSource<Uint8Array>} */
  const underlying = {
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) {
        controller.close();
        return undefined;
      }
      controller.enqueue(chunk);
      return nextTurn(); // the next pull() waits for it
    },
  };
  const readable =
    source === "bytes"
      ? new ReadableStream(/** @type {UnderlyingByteSource} */ ({ type: "bytes", pull: underlying.pull }))
      : new ReadableStream(underlying);
  return { readable: /** @type {ReadableStream<Uint8Array>} */ (readable), writable };
}

/**
 * Counts the lines and checks each one's bytes (length, first and last byte), and the total.
 * Every consumer calls it per line, so they all pay the same for the check.
 */
export class LineCheck {
  lines = 0;
  bytes = 0;
  wrong = 0;

  /** @param {Uint8Array} line */
  add(line) {
    if (line.length !== 64 || line[0] !== X || line[63] !== NEWLINE) this.wrong++;
    this.lines++;
    this.bytes += line.length;
  }

  /**
   * Throws unless exactly `lines` well-formed lines of 64 bytes were seen.
   *
   * @param {string} what
   * @param {number} lines
   */
  expect(what, lines) {
    if (this.lines !== lines || this.wrong !== 0 || this.bytes !== lines * LINE.length)
      throw new Error(
        `${what}: ${this.lines} lines (${this.wrong} malformed, ${this.bytes} bytes), expected ${lines} lines of 64 bytes`,
      );
  }
}

/**
 * asyncstreams: `createWebStreams()` over the pair, `readLine()` until it returns empty.
 *
 * @param {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }} pair
 * @param {LineCheck} check
 */
export async function readAsyncstreams(pair, check) {
  const { reader, writer } = createWebStreams(pair, { limit: LIMIT });
  for (;;) {
    const line = await reader.readLine();
    if (line.length === 0) break;
    check.add(line);
  }
  writer.close();
}

/**
 * asyncstreams' batch read: `readLines()` until it returns `[]`, every buffered line per await.
 *
 * @param {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }} pair
 * @param {LineCheck} check
 */
export async function readAsyncstreamsBatch(pair, check) {
  const { reader, writer } = createWebStreams(pair, { limit: LIMIT });
  for (let batch = await reader.readLines(); batch.length > 0; batch = await reader.readLines())
    for (const line of batch) check.add(line);
  writer.close();
}

/**
 * The one copy of a line that spans chunks: its parts joined.
 *
 * @param {readonly Uint8Array[]} parts
 * @param {number} size their total length
 * @returns {Uint8Array}
 */
function join(parts, size) {
  const joined = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/**
 * The anchor: what a developer writes by hand over the same pair with no library (the style of
 * node-raw's `LineSplitter`, with the portable `Uint8Array.prototype.indexOf`, since Bun and Deno
 * users have no `Buffer` to reach for): a `read()` loop, every complete line of a chunk split out
 * synchronously as a zero-copy view, the unterminated rest kept as a list of parts and joined with
 * one copy when its newline arrives. A limit as W1's readers keep.
 *
 * @param {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }} pair
 * @param {LineCheck} check
 */
export async function readByHand(pair, check) {
  const reader = pair.readable.getReader();
  /** @type {Uint8Array[]} */
  let parts = [];
  let pending = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, end + 1);
      if (pending > 0) {
        parts.push(line);
        line = join(parts, pending + line.length);
        parts = [];
        pending = 0;
      }
      if (line.length > LIMIT) throw new RangeError(`Line longer than the limit (${LIMIT})`);
      check.add(line);
      start = end + 1;
    }
    if (start < chunk.length) {
      parts.push(start === 0 ? chunk : chunk.subarray(start));
      pending += chunk.length - start;
      if (pending > LIMIT) throw new RangeError(`Line longer than the limit (${LIMIT})`);
    }
  }
  if (pending > 0) throw new Error(`${pending} bytes after the last newline`);
  reader.releaseLock();
}

/**
 * A hand-written awaitable `readLine()` over the pair's `read()`, the Web Streams twin of
 * node-raw's `RawReader` (W1's anchor) with portable calls: a line in the current chunk is a
 * `subarray` in one resolved promise, no async frame; otherwise an async slow path gathers the
 * parts, reads on, and joins them with one copy. At the end, the unterminated rest, then empty.
 */
export class HandLineReader {
  /** @type {ReadableStreamDefaultReader<Uint8Array>} */
  #reader;
  /** @type {Uint8Array} */
  #chunk = new Uint8Array(0);
  #offset = 0;

  /** @param {ReadableStream<Uint8Array>} readable */
  constructor(readable) {
    this.#reader = readable.getReader();
  }

  /** @returns {Promise<Uint8Array>} */
  readLine() {
    const chunk = this.#chunk;
    const offset = this.#offset;
    const end = chunk.indexOf(NEWLINE, offset);
    if (end !== -1 && end - offset < LIMIT) {
      this.#offset = end + 1;
      return Promise.resolve(chunk.subarray(offset, end + 1));
    }
    return this.#readLineSlow();
  }

  async #readLineSlow() {
    /** @type {Uint8Array[]} */
    const parts = [];
    let pending = 0;
    let chunk = this.#chunk;
    let start = this.#offset;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      const stop = end === -1 ? chunk.length : end + 1;
      if (stop > start) parts.push(chunk.subarray(start, stop));
      pending += stop - start;
      if (pending > LIMIT) throw new RangeError(`Line longer than the limit (${LIMIT})`);
      if (end !== -1) {
        this.#chunk = chunk;
        this.#offset = stop;
        break;
      }
      const { done, value } = await this.#reader.read();
      if (done) {
        this.#chunk = new Uint8Array(0);
        this.#offset = 0;
        break;
      }
      chunk = value;
      start = 0;
    }
    return parts.length === 1 ? /** @type {Uint8Array} */ (parts[0]) : join(parts, pending);
  }
}

/**
 * By hand with one await per line: {@link HandLineReader}'s `readLine()` until it returns empty.
 *
 * @param {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }} pair
 * @param {LineCheck} check
 */
export async function readByHandAwait(pair, check) {
  const reader = new HandLineReader(pair.readable);
  for (;;) {
    const line = await reader.readLine();
    if (line.length === 0) break;
    check.add(line);
  }
}

/** @type {Record<Impl, (pair: ReturnType<typeof streamPair>, check: LineCheck) => Promise<void>>} */
export const consumers = {
  asyncstreams: readAsyncstreams,
  "asyncstreams-batch": readAsyncstreamsBatch,
  "hand-written-await": readByHandAwait,
  "hand-written": readByHand,
};
