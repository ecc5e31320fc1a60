import { StreamError } from "@asyncstreams/buffer";

/**
 * No pong came back within the keep-alive timeout: the peer (or the path to it) is gone without a
 * close frame or a TCP reset. The connection is dropped, and every pending and later read and
 * `drain()` rejects with this error, so a half-open peer cannot hang `readLine()` forever.
 *
 * @example
 * ```ts
 * import { KeepAliveTimeoutError } from "@asyncstreams/websocket";
 *
 * const error = new KeepAliveTimeoutError(5_000);
 * console.log(error.code, error.timeout); // "ERR_WEBSOCKET_KEEPALIVE_TIMEOUT" 5000
 * ```
 */
export class KeepAliveTimeoutError extends StreamError {
  static {
    this.brand("KeepAliveTimeoutError");
  }

  declare readonly code: "ERR_WEBSOCKET_KEEPALIVE_TIMEOUT";
  /** How long the transport waited for the pong, in milliseconds. */
  readonly timeout: number;

  /**
   * @param timeout How long the transport waited for the pong, in milliseconds.
   */
  constructor(timeout: number) {
    super("ERR_WEBSOCKET_KEEPALIVE_TIMEOUT", `Connection lost: no pong within ${timeout} ms of a keep-alive ping`);
    this.timeout = timeout;
  }
}
