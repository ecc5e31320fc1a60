import type { StreamReader } from "@asyncstreams/reader";

/** What {@linkcode pullChunk} uses of a reader: a `StreamReader`'s public API. */
export type ChunkSource = Pick<
  StreamReader,
  "peek" | "read" | "takeBuffered" | "exception" | "bufferedLength" | "bytesConsumed"
>;

/** Options for {@linkcode pullChunk}. */
export interface PullChunkOptions {
  /** The most bytes to take. */
  chunkSize: number;
  /** Stops the wait; nothing is taken once it has aborted. */
  signal: AbortSignal;
  /** Receives the bytes (owned by it), or `null` at EOF, in the same turn as they leave the reader. */
  deliver: (chunk: Uint8Array | null) => void;
}

const ignore = (): void => undefined;

/**
 * Takes up to `chunkSize` bytes from a reader, once at least one is buffered, and hands them to
 * `deliver` in the same turn as it takes them: the step a pull-based adapter (a Web
 * `ReadableStream`, a Node `Readable`) repeats. An awaited `read()` would leave a turn between the
 * bytes leaving the reader and reaching the consumer, and a cancel in that turn would lose them.
 *
 * Cancel safety: aborting `signal` consumes nothing: the wait is a `peek()`, and nothing is taken
 * once the signal has aborted, so every byte not delivered is still in the reader.
 *
 * @param reader The reader, as a `StreamReader`.
 * @param options `chunkSize`, the `signal` that stops the wait, and `deliver`.
 * @returns A promise that resolves once `deliver` was called.
 * @throws The reader's stored exception, or `signal.reason` once it aborted; `deliver` was not called.
 *
 * @example
 * ```ts
 * import { pullChunk } from "@asyncstreams/protocol";
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * reader.feedData(new TextEncoder().encode("hello"));
 * reader.feedEof();
 * const chunks: (string | null)[] = [];
 * const deliver = (chunk: Uint8Array | null) => chunks.push(chunk && new TextDecoder().decode(chunk));
 * const { signal } = new AbortController();
 * await pullChunk(reader, { chunkSize: 3, signal, deliver });
 * await pullChunk(reader, { chunkSize: 3, signal, deliver });
 * await pullChunk(reader, { chunkSize: 3, signal, deliver });
 * console.log(chunks); // ["hel", "lo", null]
 * ```
 */
export async function pullChunk(reader: ChunkSource, options: PullChunkOptions): Promise<void> {
  const { chunkSize, signal, deliver } = options;
  for (;;) {
    signal.throwIfAborted(); // aborted while a peek was settling: what arrived stays in the reader
    const error = reader.exception(); // as a direct read() would throw, with bytes buffered or not
    if (error !== undefined) throw error;
    const size = reader.bufferedLength;
    if (size > 0 && size <= chunkSize) {
      deliver(reader.takeBuffered()); // taken and handed on in one turn
      return;
    }
    // A peek waits for data (or copies one chunk's worth when more is buffered) and consumes nothing.
    const consumed = reader.bytesConsumed;
    const head = await reader.peek(size === 0 ? 1 : chunkSize, { signal });
    signal.throwIfAborted();
    if (head.length === 0) {
      deliver(null); // EOF
      return;
    }
    if (head.length === chunkSize && reader.bytesConsumed === consumed && reader.exception() === undefined) {
      // Drops the copied bytes in this same turn: read() takes at once when bytes are buffered.
      void reader.read(chunkSize).catch(ignore);
      deliver(head);
      return;
    }
    // Data arrived in an empty buffer, or someone else read meanwhile: look again.
  }
}
