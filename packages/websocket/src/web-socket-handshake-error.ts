import { HandshakeError } from "@asyncstreams/protocol";

/** The codes of {@linkcode WebSocketHandshakeError}. */
export type WebSocketHandshakeErrorCode = "ERR_WEBSOCKET_HANDSHAKE" | "ERR_WEBSOCKET_HANDSHAKE_TIMEOUT";

/**
 * The WebSocket did not open: the connection was refused, the server answered the upgrade with
 * an HTTP error status or refused every subprotocol, or `handshakeTimeout` passed. A
 * {@linkcode HandshakeError}, like every transport's handshake failure.
 *
 * The WHATWG `WebSocket` (browsers, Deno, Node 22+) reports every one of these the same way, as
 * close code 1006 with no detail, on purpose (a page must not probe the network): then `status` is
 * undefined and the message says so. With `ws`, `status` is the server's HTTP status when it
 * answered one, and `cause` is `ws`'s error.
 *
 * @example
 * ```ts
 * import { WebSocketHandshakeError } from "@asyncstreams/websocket";
 *
 * const error = new WebSocketHandshakeError("ERR_WEBSOCKET_HANDSHAKE", "ws://127.0.0.1:9/", "the server refused the upgrade with HTTP status 403", { status: 403 });
 * console.log(error.code, error.status); // "ERR_WEBSOCKET_HANDSHAKE" 403
 * ```
 */
export class WebSocketHandshakeError extends HandshakeError {
  static {
    this.brand("WebSocketHandshakeError");
  }

  declare readonly code: WebSocketHandshakeErrorCode;
  /** The URL that was being opened; empty for an accepted socket whose URL is unknown. */
  readonly url: string;
  /** The HTTP status the server refused the upgrade with, when the socket could tell. */
  readonly status: number | undefined;
  /** The close code the socket reported (1006 on the WHATWG `WebSocket`), if it closed. */
  readonly closeCode: number | undefined;

  /**
   * @param code `ERR_WEBSOCKET_HANDSHAKE`, or `ERR_WEBSOCKET_HANDSHAKE_TIMEOUT` after `handshakeTimeout`.
   * @param url The URL being opened.
   * @param detail What went wrong, after `Cannot open the WebSocket to <url>: `.
   * @param options `status`, `closeCode`, and `cause` (the socket's own error).
   */
  constructor(
    code: WebSocketHandshakeErrorCode,
    url: string,
    detail: string,
    options: { status?: number | undefined; closeCode?: number | undefined; cause?: unknown } = {},
  ) {
    super(
      code,
      `Cannot open the WebSocket${url === "" ? "" : ` to ${url}`}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.url = url;
    this.status = options.status;
    this.closeCode = options.closeCode;
  }
}
