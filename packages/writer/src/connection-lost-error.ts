import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * Thrown by `drain()` once the connection is gone without an error of its own (asyncio raises
 * `ConnectionResetError('Connection lost')` there): for example `write()` then `drain()` after
 * `close()`, so that a `write(); await drain()` loop always ends.
 *
 * @example
 * ```ts
 * import { ConnectionLostError } from "@asyncstreams/writer";
 *
 * const error = new ConnectionLostError();
 * console.log(error.code, error.message); // "ERR_CONNECTION_LOST" "Connection lost"
 * ```
 */
export class ConnectionLostError extends StreamError {
  static {
    this.brand("ConnectionLostError");
  }

  /** Always `ERR_CONNECTION_LOST`. */
  declare readonly code: "ERR_CONNECTION_LOST";

  /**
   * @param message Defaults to asyncio's `"Connection lost"`.
   * @param options `cause`: the underlying error, if any.
   */
  constructor(message = "Connection lost", options?: StreamErrorOptions) {
    super("ERR_CONNECTION_LOST", message, options);
  }
}
