import { StreamReader } from "@asyncstreams/reader";
import { StreamWriter } from "@asyncstreams/writer";
import { StreamReaderProtocol } from "./stream-reader-protocol.js";
import type { Transport } from "./transport.js";
import { checkOptionNames } from "./_check-option-names.js";

/**
 * Options for {@linkcode createStreams}.
 */
export interface CreateStreamsOptions {
  /** The reader's limit; defaults to 64 KiB. Ignored when `reader` is given. */
  limit?: number | undefined;
  /** A reader made beforehand (so that a bad `limit` fails before any network activity). */
  reader?: StreamReader | undefined;
}

/**
 * A connection's reader and writer.
 */
export interface Streams {
  /** Reads what the peer sends. */
  reader: StreamReader;
  /** Writes to the peer. */
  writer: StreamWriter;
}

/**
 * Turns any connected transport into asyncio's `(reader, writer)` pair: makes a `StreamReader` and a
 * `StreamReaderProtocol`, attaches the protocol (`setProtocol` then `connectionMade`), and wraps the
 * transport in a `StreamWriter`. The reader pauses the transport when it buffers more than
 * `2 × limit` bytes; `drain()` follows the transport's write-buffer water marks.
 *
 * @param transport A connected transport that has no protocol yet.
 * @param options `limit` for a new reader, or the `reader` to use.
 * @returns The reader and the writer.
 * @throws {RangeError} When `limit` is not greater than 0.
 * @throws {TypeError} On an unknown option, or a `reader` that is not a `StreamReader`.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
 *
 * const [left, right] = memoryTransportPair();
 * const { reader, writer } = createStreams(left);
 * const peer = createStreams(right);
 * peer.writer.write(new TextEncoder().encode("hello\n"));
 * console.log(new TextDecoder().decode(await reader.readLine())); // "hello\n"
 * ```
 */
export function createStreams(transport: Transport, options: CreateStreamsOptions = {}): Streams {
  checkOptionNames("Cannot create streams", options, ["limit", "reader"]);
  if (options.reader !== undefined && !(options.reader instanceof StreamReader))
    throw new TypeError("Cannot create streams: reader should be a StreamReader from @asyncstreams/reader");
  const reader = options.reader ?? new StreamReader({ limit: options.limit });
  const protocol = new StreamReaderProtocol(reader);
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return { reader, writer: new StreamWriter(transport, { protocol, reader }) };
}
