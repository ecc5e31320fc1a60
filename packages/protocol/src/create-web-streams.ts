import { StreamReader } from "@asyncstreams/reader";
import { createStreams } from "./create-streams.js";
import type { Streams } from "./create-streams.js";
import { WebStreamTransport } from "./web-stream-transport.js";
import { WEB_STREAM_TRANSPORT_OPTIONS, checkWebStreamArguments } from "./_check-web-stream-options.js";
import type { WebStreamPair, WebStreamTransportOptions } from "./web-stream-transport.js";

/**
 * Options for {@linkcode createWebStreams}: the reader's `limit` and the transport's options.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a Web Streams connection (Deno.connect(), Cloudflare connect())
 * import { createWebStreams, type CreateWebStreamsOptions } from "@asyncstreams/protocol";
 *
 * declare const conn: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
 * const options: CreateWebStreamsOptions = { limit: 8192, copyChunks: true };
 * const { reader, writer } = createWebStreams(conn, options);
 * ```
 */
export interface CreateWebStreamsOptions extends WebStreamTransportOptions {
  /** The reader's limit; defaults to 64 KiB. */
  limit?: number | undefined;
}

/**
 * asyncio's `(reader, writer)` over a Web Streams pair: wraps it in a
 * {@linkcode WebStreamTransport} and hands it to `createStreams()`. Back-pressure works both ways:
 * a full reader stops pulling from `readable`, and `drain()` waits while more than the high-water
 * mark of written bytes is still queued in `writable`.
 *
 * @param pair The connection's `readable` and `writable` (for example from `Deno.connect()`,
 *   Cloudflare's `connect()` or Node's `Duplex.toWeb()`).
 * @param options `limit` for the reader; `writeBufferLimits`, `halfClose`, `copyChunks` and
 *   `extraInfo` for the transport.
 * @returns The reader and the writer.
 * @throws {RangeError} When `limit` is not greater than 0, or the water marks are out of order.
 * @throws {TypeError} When `pair` is not a readable and a writable Web stream, on an unknown option
 *   or one of the wrong type, or when either stream is already locked. Every option is checked
 *   before the streams are locked.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a Web Streams connection (Deno.connect(), Cloudflare connect())
 * import { createWebStreams } from "@asyncstreams/protocol";
 *
 * // Deno: const conn = await Deno.connect({ hostname: "127.0.0.1", port: 8888 });
 * declare const conn: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
 * const { reader, writer } = createWebStreams(conn, { limit: 16 * 1024 });
 * writer.write(new TextEncoder().encode("HELO example.org\r\n"));
 * await writer.drain();
 * console.log(new TextDecoder().decode(await reader.readLine()));
 * writer.close();
 * await writer.waitClosed();
 * ```
 */
export function createWebStreams(pair: WebStreamPair, options: CreateWebStreamsOptions = {}): Streams {
  checkWebStreamArguments("Cannot create web streams", pair, options, [...WEB_STREAM_TRANSPORT_OPTIONS, "limit"]);
  const { limit, ...transportOptions } = options;
  const reader = new StreamReader({ limit });
  return createStreams(new WebStreamTransport(pair, transportOptions), { reader });
}
