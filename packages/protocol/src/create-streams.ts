import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
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
 * `StreamReaderProtocol`, attaches the protocol (`connectionMade`, then `setProtocol`), and wraps the
 * transport in a `StreamWriter`. The reader pauses the transport when it buffers more than
 * `2 × limit` bytes; `drain()` follows the transport's write-buffer water marks.
 *
 * Everything is checked before the transport gets the protocol, so a refused call changes neither
 * the transport nor the reader. One transport, one reader: a transport that already has a protocol
 * (say, from an earlier `createStreams()`) is refused, as is a reader that another transport feeds.
 *
 * @param transport A connected transport that has no protocol yet.
 * @param options `limit` for a new reader, or the `reader` to use.
 * @returns The reader and the writer.
 * @throws {RangeError} When `limit` is not greater than 0.
 * @throws {TypeError} On an unknown option, a `reader` that is not a `StreamReader` or that already
 *   has a transport, or a `transport` that already has a protocol.
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
  if (transport.getProtocol() !== null)
    throw new TypeError(
      "Cannot create streams: the transport already has a protocol; call createStreams() once per connection, on a transport that has none",
    );
  const reader = options.reader ?? new StreamReader({ limit: options.limit });
  const protocol = new StreamReaderProtocol(reader);
  // asyncio sets the protocol, then calls connection_made(); this calls connectionMade() first,
  // deliberately: it gives the reader its transport, which fails for a reader already in use, and
  // at that point no byte can reach the reader from this transport.
  try {
    protocol.connectionMade(transport);
  } catch (error) {
    if (!(error instanceof InvalidStateError)) throw error;
    throw new TypeError(
      "Cannot create streams: the reader already has a transport; pass a new StreamReader, one per connection",
      { cause: error },
    );
  }
  const writer = new StreamWriter(transport, { protocol, reader });
  transport.setProtocol(protocol);
  return { reader, writer };
}
