import { createStreams, type Streams } from "@asyncstreams/protocol";
import { checkObject } from "./_check-options.js";
import { prepareReader, STREAM_OPTIONS, type StreamOptions } from "./_streams-over-socket.js";
import type { WebSocketLike } from "./web-socket-like.js";
import { WebSocketTransport } from "./web-socket-transport.js";

const OPTIONS = [...STREAM_OPTIONS, "extraInfo"] as const;

/** Options for {@linkcode acceptWebSocket}. */
export interface AcceptWebSocketOptions extends StreamOptions {
  /** The reader's limit. Default 64 KiB. */
  limit?: number | undefined;
  /** More for `writer.getExtraInfo()`, such as `peername` or the upgrade `request`. */
  extraInfo?: Record<string, unknown> | undefined;
}

/**
 * asyncio's `(reader, writer)` for a socket someone else opened or accepted: a `ws` server
 * connection, `Deno.upgradeWebSocket()`'s socket (still opening until the response is returned),
 * a browser socket. Writes made while it is opening are sent once it opens; if it never opens,
 * reads and `drain()` fail with a `WebSocketHandshakeError`.
 *
 * @param socket A socket that is open or opening.
 * @param options `limit`, `writeBufferLimits`, `maxReadBuffer`, `keepAlive` (ws only), `search`, `extraInfo`.
 * @returns The reader and the writer, at once.
 * @throws {TypeError} For an unknown option or one of the wrong type, or `keepAlive` on a socket that cannot ping.
 * @throws {RangeError} When `limit` or another number is out of range.
 * @throws {InvalidStateError} When the socket is already closing or closed.
 *
 * @example
 * ```ts
 * import { acceptWebSocket, type WebSocketLike } from "@asyncstreams/websocket";
 * // @example-no-run: needs a WebSocket server on 127.0.0.1:8080
 *
 * // Deno: Deno.serve((request) => {
 * //   const { socket, response } = Deno.upgradeWebSocket(request);
 * //   ...;
 * //   return response;
 * // })
 * // Node's types declare the global WebSocket apart from the DOM's: the cast bridges the two.
 * const socket = new WebSocket("ws://127.0.0.1:8080/") as unknown as WebSocketLike;
 * const { reader, writer } = acceptWebSocket(socket, { limit: 4096 });
 * writer.write(new TextEncoder().encode("hello\n"));
 * console.log(new TextDecoder().decode(await reader.readLine()));
 * ```
 */
export function acceptWebSocket(socket: WebSocketLike, options: AcceptWebSocketOptions = {}): Streams {
  const action = "Cannot accept a WebSocket";
  const reader = prepareReader(options, OPTIONS, action);
  checkObject(options.extraInfo, "extraInfo", action);
  const transport = new WebSocketTransport(socket, {
    writeBufferLimits: options.writeBufferLimits,
    maxReadBuffer: options.maxReadBuffer,
    keepAlive: options.keepAlive,
    extraInfo: options.extraInfo,
  });
  return createStreams(transport, { reader });
}
