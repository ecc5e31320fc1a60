import { StreamError } from "@asyncstreams/buffer";

/**
 * The codes a {@linkcode SocketError} carries: the operating system's code from Node's error
 * (connecting, listening, reading, writing, resolving a name), Node's own socket and stream codes,
 * or this project's `ERR_ASYNCSTREAMS_SOCKET` when Node's error had no code. Any other string Node
 * reports passes through unchanged (`string & {}` keeps the listed ones suggested by editors). A
 * reset (`ECONNRESET`, `EPIPE`, `ECONNABORTED`) is a `ConnectionResetError` instead, with the
 * system's code as its `systemCode`.
 */
export type SocketErrorCode =
  | "EACCES"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "EAI_AGAIN"
  | "ECONNREFUSED"
  | "EHOSTUNREACH"
  | "EMFILE"
  | "ENETUNREACH"
  | "ENFILE"
  | "ENOBUFS"
  | "ENOENT"
  | "ENOTCONN"
  | "ENOTDIR"
  | "ENOTFOUND"
  | "EPERM"
  | "ETIMEDOUT"
  | "ERR_SOCKET_CLOSED"
  | "ERR_SOCKET_CLOSED_BEFORE_CONNECTION"
  | "ERR_SOCKET_CONNECTION_TIMEOUT"
  | "ERR_STREAM_DESTROYED"
  | "ERR_STREAM_WRITE_AFTER_END"
  | "ERR_ASYNCSTREAMS_SOCKET"
  | (string & {});

/**
 * Details of a {@linkcode SocketError}.
 */
export interface SocketErrorOptions {
  /** The system error code, such as `ECONNREFUSED` or `EADDRINUSE`. */
  code: SocketErrorCode;
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
  static {
    this.brand("SocketError");
  }

  /** The system code (`ECONNREFUSED`, `EPIPE`, ...): see {@linkcode SocketErrorCode}. */
  declare readonly code: SocketErrorCode;

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
    // No `cause` property at all without one, as every other StreamError.
    super(options.code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.syscall = options.syscall;
    this.address = options.address;
    this.port = options.port;
  }
}
