import type { Streams } from "@asyncstreams/protocol";
import { createStreams } from "@asyncstreams/protocol";
import { checkDuration } from "./_check-options.js";
import { prepareReader, STREAM_OPTIONS, type StreamOptions } from "./_streams-over-socket.js";
import type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.js";
import { WebSocketHandshakeError } from "./web-socket-handshake-error.js";
import { WebSocketTransport } from "./web-socket-transport.js";

const OPTIONS = [...STREAM_OPTIONS, "protocols", "signal", "handshakeTimeout", "WebSocket"] as const;

/** Options for {@linkcode openWebSocketConnection}. */
export interface OpenWebSocketConnectionOptions extends StreamOptions {
  /** Subprotocols to offer; `writer.getExtraInfo("subprotocol")` is the one the server chose. */
  protocols?: string | string[] | undefined;
  /** The reader's limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Aborts the opening: the socket is closed and the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Milliseconds the opening handshake may take. Default: no limit of our own. */
  handshakeTimeout?: number | undefined;
  /** Write-buffer water marks (asyncio's defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: StreamOptions["writeBufferLimits"];
  /** The socket constructor. Default `globalThis.WebSocket`; on Node 20, pass `ws`'s `WebSocket`. */
  WebSocket?: WebSocketConstructor | undefined;
}


/**
 * asyncio's `open_connection()` over a WebSocket: opens `url` and returns the connection's reader
 * and writer. Binary and text messages are the byte stream (text as UTF-8), with no message
 * boundaries; close codes 1000, 1001 and 1005 are EOF, any other is a `ConnectionResetError`
 * with `closeCode` and `reason`. See {@linkcode WebSocketTransport} for the whole mapping.
 *
 * Runs wherever a WHATWG `WebSocket` exists (browsers, Deno, Bun, Node 22+); on Node 20 pass the
 * `ws` package's `WebSocket` as the `WebSocket` option, which also brings read back-pressure and
 * keep-alive pings.
 *
 * Cancel safety: aborting `signal` (or `handshakeTimeout` passing) during the opening handshake drops
 * the socket (`ws.terminate()`, or close code 4000 on a WHATWG socket) and rejects with `signal.reason`
 * (or a `WebSocketHandshakeError` with code `ERR_WEBSOCKET_HANDSHAKE_TIMEOUT`): nothing is left open.
 * Once the promise has resolved, the signal is no longer watched: close the writer to end the connection.
 *
 * @param url A `ws://` or `wss://` URL (`http(s)://` where the runtime accepts it).
 * @param options `protocols`, `limit`, `signal`, `handshakeTimeout`, `writeBufferLimits`,
 *   `maxReadBuffer`, `keepAlive`, `search` and the `WebSocket` constructor.
 * @returns The reader and the writer.
 * @throws {TypeError} For an unknown option, or when there is no `WebSocket` to use.
 * @throws {RangeError} When `limit` or a duration is out of range (before any network activity).
 * @throws {WebSocketHandshakeError} When the socket closes before it opens, or `handshakeTimeout` passes.
 * @throws `signal.reason` when the signal aborts the opening.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a WebSocket server on 127.0.0.1:8080 and a global WebSocket (Node 22+, Deno, Bun, browsers)
 * import { openWebSocketConnection } from "@asyncstreams/websocket";
 *
 * const { reader, writer } = await openWebSocketConnection("ws://127.0.0.1:8080/kv", { handshakeTimeout: 10_000 });
 * writer.write(new TextEncoder().encode("GET greeting\n"));
 * console.log(new TextDecoder().decode(await reader.readLine()));
 * writer.close();
 * await writer.waitClosed();
 * ```
 */
export async function openWebSocketConnection(url: string | URL, options: OpenWebSocketConnectionOptions = {}): Promise<Streams> {
  const action = "Cannot open a WebSocket connection";
  const reader = prepareReader(options, OPTIONS, action);
  checkDuration(options.handshakeTimeout, "handshakeTimeout", action);
  const Constructor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Constructor !== "function") {
    throw new TypeError(`${action}: this runtime has no global WebSocket; pass one as the WebSocket option (on Node 20, the ws package's WebSocket)`);
  }
  const { signal, handshakeTimeout } = options;
  signal?.throwIfAborted();
  const href = String(url);
  const socket: WebSocketLike = options.protocols === undefined ? new Constructor(href) : new Constructor(href, options.protocols);
  // Listening from the start, so that nothing the server sends right after the upgrade is missed.
  const transport = new WebSocketTransport(socket, {
    writeBufferLimits: options.writeBufferLimits,
    maxReadBuffer: options.maxReadBuffer,
    keepAlive: options.keepAlive,
    url: href,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (handshakeTimeout !== undefined) {
      timer = setTimeout(() => reject(new WebSocketHandshakeError("ERR_WEBSOCKET_HANDSHAKE_TIMEOUT", href, `the opening handshake took longer than handshakeTimeout (${handshakeTimeout} ms)`)), handshakeTimeout);
    }
  });
  try {
    await Promise.race([transport.whenOpen(), stopped]);
  } catch (error) {
    transport.abort();
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
  return createStreams(transport, { reader });
}
