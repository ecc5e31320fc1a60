import { StreamError } from "@asyncstreams/buffer";

/**
 * Details of a {@linkcode SocketError}.
 */
export interface SocketErrorOptions {
  /** The system error code, such as `ECONNREFUSED` or `ECONNRESET`. */
  code: string;
  /** The runtime's original error. */
  cause?: unknown;
  /** The system call that failed, such as `connect` or `read`. */
  syscall?: string | undefined;
  /** The address involved, if any. */
  address?: string | undefined;
  /** The port involved, if any. */
  port?: number | undefined;
}

/**
 * A socket operation failed: connecting, reading or writing. `code` is the system code (for
 * example `ECONNREFUSED`, `ECONNRESET`, `EPIPE`, `ENOENT`) and `cause` is Node's own error, so
 * code that matches on Node's error codes keeps working. After a connection fails, every read,
 * `drain()` and `waitClosed()` of that connection throw the same `SocketError` object.
 *
 * @example
 * ```ts
 * import { openConnection, SocketError } from "@asyncstreams/net";
 *
 * try {
 *   await openConnection({ host: "127.0.0.1", port: 1 });
 * } catch (error) {
 *   if (error instanceof SocketError && error.code === "ECONNREFUSED") console.log("nobody listens");
 * }
 * ```
 */
export class SocketError extends StreamError {
  /** The system call that failed, such as `connect`. */
  readonly syscall: string | undefined;
  /** The address involved, if any. */
  readonly address: string | undefined;
  /** The port involved, if any. */
  readonly port: number | undefined;

  /**
   * @param message The failed action first, then a colon and the detail.
   * @param options The system code and details; `cause` is the runtime's error.
   */
  constructor(message: string, options: SocketErrorOptions) {
    super(options.code, message, { cause: options.cause });
    this.syscall = options.syscall;
    this.address = options.address;
    this.port = options.port;
  }
}
