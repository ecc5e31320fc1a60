import type { Duplex } from "node:stream";
import { createStreams } from "@asyncstreams/protocol";
import type { Streams } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { DuplexTransport } from "./duplex-transport.js";
import type { DuplexPair, DuplexTransportOptions } from "./duplex-transport.js";

/**
 * Options for {@linkcode openDuplexStreams}: the reader's `limit` and the transport's options.
 *
 * @example
 * ```ts
 * // @example-no-run: uses the process's own stdin and stdout
 * import { openDuplexStreams, type OpenDuplexStreamsOptions } from "@asyncstreams/net";
 *
 * const options: OpenDuplexStreamsOptions = { limit: 1024 * 1024, writeBufferLimits: { high: 256 * 1024 } };
 * const { reader, writer } = openDuplexStreams({ readable: process.stdin, writable: process.stdout }, options);
 * ```
 */
export interface OpenDuplexStreamsOptions extends DuplexTransportOptions {
  /** The reader's limit; defaults to 64 KiB. */
  limit?: number | undefined;
}

/**
 * asyncio's `(reader, writer)` over a Node `Duplex` or a `{ readable, writable }` pair of Node
 * streams, such as a child process's stdio (asyncio's `connect_read_pipe` and
 * `connect_write_pipe`, as one connection). Wraps the streams in a {@linkcode DuplexTransport}:
 * a full reader pauses the readable, and `drain()` waits while the writable holds more than the
 * high-water mark. `writer.writeEof()` ends the writable (the child sees EOF on its stdin).
 *
 * @param source The streams: a `Duplex`, or `{ readable, writable }`.
 * @param options `limit` for the reader; `writeBufferLimits` and `extraInfo` for the transport.
 * @returns The reader and the writer.
 * @throws {RangeError} When `limit` is not greater than 0 (checked before the streams are touched).
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * import { openDuplexStreams } from "@asyncstreams/net";
 *
 * const child = spawn("sort", { stdio: ["pipe", "pipe", "inherit"] });
 * const { reader, writer } = openDuplexStreams({ readable: child.stdout, writable: child.stdin });
 * writer.write(new TextEncoder().encode("pear\napple\n"));
 * writer.writeEof(); // sort reads to the end of its input, then answers
 * for await (const line of reader) console.log(new TextDecoder().decode(line)); // "apple\n", "pear\n"
 * writer.close();
 * await writer.waitClosed();
 * ```
 */
export function openDuplexStreams(source: Duplex | DuplexPair, options: OpenDuplexStreamsOptions = {}): Streams {
  const reader = new StreamReader({ limit: options.limit });
  return createStreams(new DuplexTransport(source, options), { reader });
}
