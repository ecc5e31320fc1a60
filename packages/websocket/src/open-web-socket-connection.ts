import { createStreams, type Streams } from "@asyncstreams/protocol";
import { checkBoolean, checkDuration, checkFunction, checkSignal } from "./_check-options.js";
import { prepareReader, STREAM_OPTIONS, type StreamOptions } from "./_streams-over-socket.js";
import { globalWebSocketStream, openWebSocketStreamTransport } from "./_web-socket-stream.js";
import type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.js";
import { WebSocketHandshakeError } from "./web-socket-handshake-error.js";
import { WebSocketTransport } from "./web-socket-transport.js";

const OPTIONS = [...STREAM_OPTIONS, "protocols", "signal", "handshakeTimeout", "WebSocket", "webSocketStream"] as const;

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
  /**
   * Whether to use the runtime's `WebSocketStream` (Chromium 124+, Deno with `--unstable-net`)
   * for real read back-pressure: a paused reader stops reading the socket, so TCP holds the peer
   * back, where a `WebSocket` can only hold messages up to `maxReadBuffer`. Default: used when the
   * runtime has one and neither `WebSocket` nor `keepAlive` is given; `false` forces the
   * `WebSocket`; `true` requires it (`TypeError` without one).
   */
  webSocketStream?: boolean | undefined;
}

/**
 * asyncio's `open_connection()` over a WebSocket: opens `url` and returns the connection's reader
 * and writer. Binary and text messages are the byte stream (text as UTF-8), with no message
 * boundaries; close codes 1000, 1001 and 1005 are EOF, any other is a `ConnectionResetError`
 * with `closeCode` and `reason`. See {@linkcode WebSocketTransport} for the whole mapping.
 *
 * Runs wherever a WHATWG `WebSocket` exists (browsers, Deno, Bun, Node 22+); on Node 20 pass the
 * `ws` package's `WebSocket` as the `WebSocket` option, which also brings read back-pressure and
 * keep-alive pings. Where the runtime has a `WebSocketStream` (Chromium, Deno with
 * `--unstable-net`), that is used instead, for read back-pressure (see the `webSocketStream` option).
 *
 * Cancel safety: aborting `signal` (or `handshakeTimeout` passing) during the opening handshake drops
 * the socket (`ws.terminate()`, or close code 4000 on a WHATWG socket) and rejects with `signal.reason`
 * (or a `WebSocketHandshakeError` with code `ERR_WEBSOCKET_HANDSHAKE_TIMEOUT`): nothing is left open.
 * Once the promise has resolved, the signal is no longer watched: close the writer to end the connection.
 *
 * @param url A `ws://` or `wss://` URL (`http(s)://` where the runtime accepts it).
 * @param options `protocols`, `limit`, `signal`, `handshakeTimeout`, `writeBufferLimits`,
 *   `maxReadBuffer`, `keepAlive`, `search`, the `WebSocket` constructor and `webSocketStream`.
 * @returns The reader and the writer.
 * @throws {TypeError} For an unknown option or one of the wrong type (`signal` not an
 *   `AbortSignal`, `WebSocket` not a constructor, `webSocketStream` not a boolean), or when there
 *   is no `WebSocket` (or, with `webSocketStream: true`, no `WebSocketStream`) to use.
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
export async function openWebSocketConnection(
  url: string | URL,
  options: OpenWebSocketConnectionOptions = {},
): Promise<Streams> {
  const action = "Cannot open a WebSocket connection";
  const reader = prepareReader(options, OPTIONS, action);
  checkDuration(options.handshakeTimeout, "handshakeTimeout", action);
  checkSignal(options.signal, "signal", action);
  checkFunction(options.WebSocket, "WebSocket (a WebSocket constructor, such as ws's WebSocket)", action);
  checkBoolean(options.webSocketStream, "webSocketStream", action);
  const { signal, handshakeTimeout } = options;
  const href = String(url);
  const Stream = options.webSocketStream === false ? undefined : globalWebSocketStream();
  if (options.webSocketStream === true && Stream === undefined)
    throw new TypeError(`${action}: this runtime has no WebSocketStream (webSocketStream: true)`);
  const useStream =
    Stream !== undefined &&
    (options.webSocketStream === true || (options.WebSocket === undefined && options.keepAlive === undefined));
  const Constructor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!useStream && typeof Constructor !== "function") {
    throw new TypeError(
      `${action}: this runtime has no global WebSocket; pass one as the WebSocket option (on Node 20, the ws package's WebSocket)`,
    );
  }
  signal?.throwIfAborted();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (handshakeTimeout !== undefined) {
      timer = setTimeout(
        () =>
          reject(
            new WebSocketHandshakeError(
              "ERR_WEBSOCKET_HANDSHAKE_TIMEOUT",
              href,
              `the opening handshake took longer than handshakeTimeout (${handshakeTimeout} ms)`,
            ),
          ),
        handshakeTimeout,
      );
    }
  });
  stopped.catch(() => undefined); // raced below; a late abort or timeout is nobody's concern
  try {
    if (useStream) {
      const protocols = options.protocols === undefined ? undefined : [options.protocols].flat();
      const transport = await openWebSocketStreamTransport(
        new Stream(href, { protocols }),
        href,
        stopped,
        options.writeBufferLimits,
      );
      return createStreams(transport, { reader });
    }
    const socket: WebSocketLike =
      options.protocols === undefined ? new Constructor!(href) : new Constructor!(href, options.protocols);
    // Listening from the start, so that nothing the server sends right after the upgrade is missed.
    const transport = new WebSocketTransport(socket, {
      writeBufferLimits: options.writeBufferLimits,
      maxReadBuffer: options.maxReadBuffer,
      keepAlive: options.keepAlive,
      url: href,
    });
    try {
      await Promise.race([transport.whenOpen(), stopped]);
    } catch (error) {
      transport.abort();
      throw error;
    }
    return createStreams(transport, { reader });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}
