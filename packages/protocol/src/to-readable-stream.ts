import { pullChunk } from "./pull-chunk.js";
import type { ChunkSource } from "./pull-chunk.js";

const DEFAULT_CHUNK_SIZE = 65_536;

/**
 * Options for {@linkcode toReadableStream}.
 *
 * @example
 * ```ts
 * import { toReadableStream, type ToReadableStreamOptions } from "@asyncstreams/protocol";
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const options: ToReadableStreamOptions = { signal: AbortSignal.timeout(30_000), chunkSize: 16 * 1024 };
 * const body = toReadableStream(new StreamReader(), options);
 * ```
 */
export interface ToReadableStreamOptions {
  /** Errors the stream with `signal.reason`. Nothing is consumed from the reader by the abort. */
  signal?: AbortSignal | undefined;
  /** The most bytes one pull asks the reader for. Default 65,536. */
  chunkSize?: number | undefined;
}

/**
 * Hands the rest of a reader's stream on as a Web `ReadableStream`: the bytes the reader has
 * already buffered come first, then whatever the transport delivers, until EOF. The HTTP-body use
 * case: parse a header with `readUntil()`, then give the body to anything that takes a stream
 * (`new Response(stream)`, `pipeTo()`, a decompressor).
 *
 * The stream pulls: each pull of the consumer takes up to `chunkSize` bytes from the reader, once
 * at least one is buffered, and nothing is read ahead (its high-water mark is 0), so back-pressure
 * reaches the transport through the reader exactly as with direct reads. The stream ends at EOF
 * and errors with the reader's error. Chunks are owned by the consumer.
 *
 * Cancel safety: cancelling the stream, or aborting `signal`, consumes nothing, even just after
 * data arrived: a pull awaits only `reader.peek()`, which consumes nothing, and takes the bytes
 * from the reader in the same turn as it hands them to the stream. Every byte the stream did not
 * deliver is still in the reader, which can be read directly again at once.
 *
 * @param reader The reader, positioned where the rest begins (a `StreamReader`).
 * @param options `signal` to abort, `chunkSize` for each pull.
 * @returns A stream of the rest of the bytes.
 * @throws {RangeError} When `chunkSize` is not a positive integer.
 * @throws {TypeError} When `chunkSize` is not a number.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair, toReadableStream } from "@asyncstreams/protocol";
 *
 * const [left, right] = memoryTransportPair();
 * const client = createStreams(left);
 * const server = createStreams(right);
 * client.writer.write(new TextEncoder().encode("Content-Type: text/plain\r\n\r\nthe body"));
 * client.writer.close();
 * await server.reader.readUntil(new TextEncoder().encode("\r\n\r\n")); // the header
 * const body = await new Response(toReadableStream(server.reader)).text();
 * console.log(body); // "the body"
 * ```
 */
export function toReadableStream(
  reader: ChunkSource,
  options: ToReadableStreamOptions = {},
): ReadableStream<Uint8Array> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (typeof chunkSize !== "number") {
    // The type, not "not an integer", for "5": the message every other number check of the project gives.
    const shown = typeof chunkSize === "string" ? JSON.stringify(chunkSize) : String(chunkSize);
    const type = chunkSize === null ? "null" : typeof chunkSize;
    throw new TypeError(`Cannot make a ReadableStream: chunkSize should be a number, got ${shown} (${type})`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(
      `Cannot make a ReadableStream: chunkSize must be a positive integer (got ${String(chunkSize)})`,
    );
  }
  const { signal } = options;
  // One controller for the peek in flight: a cancel or the caller's abort stops it, consuming nothing.
  const stop = new AbortController();
  let onAbort: (() => void) | undefined;
  const detach = (): void => {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    onAbort = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (signal === undefined) return;
        onAbort = () => {
          detach();
          stop.abort(signal.reason);
          controller.error(signal.reason);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      },
      async pull(controller) {
        try {
          // Takes and enqueues in one turn (see pullChunk()): a cancel never finds bytes in between.
          await pullChunk(reader, {
            chunkSize,
            signal: stop.signal,
            deliver: (chunk) => {
              if (chunk !== null) return controller.enqueue(chunk);
              detach();
              controller.close(); // EOF
            },
          });
        } catch (error) {
          detach();
          if (!stop.signal.aborted) throw error; // errors the stream: the reader's error, or the abort reason
        }
      },
      cancel(reason) {
        detach();
        stop.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
