import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * The connection was reset: the peer aborted it, or the network dropped it. Its `code` is the
 * system code `ECONNRESET`, as Node's socket errors; a transport keeps the runtime's own error as
 * `cause`. Reads and `drain()` of the connection all throw this same object.
 *
 * @example
 * ```ts
 * import { ConnectionResetError } from "@asyncstreams/protocol";
 *
 * const error = new ConnectionResetError();
 * console.log(error.code, error.message); // "ECONNRESET" "Connection reset by peer"
 * ```
 */
export class ConnectionResetError extends StreamError {
  /**
   * @param message Defaults to `"Connection reset by peer"`.
   * @param options `cause`: the runtime's error.
   */
  constructor(message = "Connection reset by peer", options?: StreamErrorOptions) {
    super("ECONNRESET", message, options);
  }
}
