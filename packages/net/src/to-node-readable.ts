import { Readable } from "node:stream";
import { pullChunk } from "@asyncstreams/protocol";
import type { ChunkSource } from "@asyncstreams/protocol";
import { numberError } from "./_number-error.js";

const DEFAULT_CHUNK_SIZE = 65_536;

/**
 * Options for {@linkcode toNodeReadable}.
 *
 * @example
 * ```ts
 * import { toNodeReadable, type ToNodeReadableOptions } from "@asyncstreams/net";
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const options: ToNodeReadableOptions = { signal: AbortSignal.timeout(30_000), chunkSize: 16 * 1024 };
 * const body = toNodeReadable(new StreamReader(), options);
 * ```
 */
export interface ToNodeReadableOptions {
  /** Destroys the stream with `signal.reason`. Nothing is consumed from the reader by the abort. */
  signal?: AbortSignal | undefined;
  /** The most bytes one `_read()` asks the reader for. Default 65,536. */
  chunkSize?: number | undefined;
}

/**
 * Hands the rest of a reader's stream on as a Node `Readable`: the bytes the reader has already
 * buffered come first, then whatever the transport delivers, until EOF. The HTTP-body use case in
 * Node's terms: parse a header with `readUntil()`, then `pipeline()` the body to a file, a
 * decompressor or an HTTP response. The Web Streams twin is `toReadableStream()` in
 * `@asyncstreams/protocol`.
 *
 * The stream pulls: each `_read()` takes up to `chunkSize` bytes from the reader once at least one
 * is buffered (`pullChunk()` in `@asyncstreams/protocol`), and nothing is read ahead (its
 * `highWaterMark` is 0), so back-pressure reaches the transport through the reader. The stream
 * ends at EOF and is destroyed with the reader's error. Chunks are `Buffer` views of the bytes taken
 * (one copy of `chunkSize` bytes when more were buffered).
 *
 * Cancel safety: destroying it, or aborting `signal`, consumes nothing, even just after data
 * arrived: bytes leave the reader in the same turn as they are pushed. Every byte not pushed is
 * still in the reader, which can be read directly again at once.
 *
 * @param reader The reader, positioned where the rest begins (a `StreamReader`).
 * @param options `signal` to abort, `chunkSize` for each read.
 * @returns A readable of the rest of the bytes.
 * @throws {RangeError} When `chunkSize` is not a positive integer.
 *
 * @example
 * ```ts
 * // @example-no-run: needs an HTTP server on 127.0.0.1:8080
 * import { createWriteStream } from "node:fs";
 * import { pipeline } from "node:stream/promises";
 * import { openConnection, toNodeReadable } from "@asyncstreams/net";
 *
 * const { reader, writer } = await openConnection({ host: "127.0.0.1", port: 8080 });
 * writer.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
 * await reader.readUntil(new TextEncoder().encode("\r\n\r\n")); // the response header
 * await pipeline(toNodeReadable(reader), createWriteStream("body.bin"));
 * writer.close();
 * ```
 */
export function toNodeReadable(reader: ChunkSource, options: ToNodeReadableOptions = {}): Readable {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw numberError("Cannot make a Readable", "chunkSize", chunkSize, "a positive integer");
  }
  const { signal } = options;
  // One controller for the read in flight: destroy() or the caller's abort stops it, consuming nothing.
  const stop = new AbortController();
  const readable: Readable = new Readable({
    highWaterMark: 0,
    read() {
      // Takes and pushes in one turn (see pullChunk()): a destroy() never finds bytes in between.
      pullChunk(reader, { chunkSize, signal: stop.signal, deliver: (chunk) => readable.push(chunk) }).catch(
        (error: unknown) => {
          if (stop.signal.aborted) return; // destroyed or aborted: nothing was taken
          readable.destroy(error instanceof Error ? error : new Error(String(error), { cause: error }));
        },
      );
    },
    destroy(error, callback) {
      signal?.removeEventListener("abort", onAbort);
      stop.abort(error ?? new Error("The readable was destroyed"));
      callback(error);
    },
  });
  const onAbort = (): void => {
    readable.destroy(
      signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason), { cause: signal!.reason }),
    );
  };
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  readable.once("end", () => signal?.removeEventListener("abort", onAbort));
  return readable;
}
