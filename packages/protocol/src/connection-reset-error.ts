import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * Details of a {@linkcode ConnectionResetError}: what each transport knows about the reset.
 */
export interface ConnectionResetErrorOptions extends StreamErrorOptions {
  /** The operating system's code when a socket reported the reset (`ECONNRESET`, `EPIPE`, ...). */
  systemCode?: string | undefined;
  /** The system call that failed, such as `read` or `write`, when a socket reported it. */
  syscall?: string | undefined;
  /** The WebSocket close code, when the peer closed a WebSocket with an error code (or 1006). */
  closeCode?: number | undefined;
  /** The WebSocket close reason, or a QUIC reason phrase, when the peer gave one. */
  reason?: string | undefined;
  /** The QUIC application error code of a stream reset or a connection close (a varint, up to 2^62). */
  applicationCode?: bigint | undefined;
}

/**
 * The connection was reset: the peer aborted it or the network dropped it. It is the one error
 * for that event on every transport (a TCP RST, a Node `Duplex` destroyed before its end, an
 * errored Web Streams pair, a WebSocket closed with an error code, a QUIC stream reset), so a
 * `catch` does not change with the transport. `code` is always `ECONNRESET`; what the transport
 * knew is kept in its own fields (`systemCode`, `closeCode`, `applicationCode`, ...) and the
 * runtime's error as `cause`. Every read and `drain()` of the connection throws this same object.
 *
 * @example
 * ```ts
 * import { ConnectionResetError } from "@asyncstreams/protocol";
 *
 * const error = new ConnectionResetError(undefined, { systemCode: "EPIPE", syscall: "write" });
 * console.log(error.code, error.systemCode, error.message); // "ECONNRESET" "EPIPE" "Connection reset by peer"
 * ```
 */
export class ConnectionResetError extends StreamError {
  /** The operating system's code (`ECONNRESET`, `EPIPE`, ...), when a socket reported the reset. */
  readonly systemCode: string | undefined;
  /** The system call that failed, when a socket reported the reset. */
  readonly syscall: string | undefined;
  /** The WebSocket close code, when the reset was a WebSocket close. */
  readonly closeCode: number | undefined;
  /** The close reason the peer gave, if any. */
  readonly reason: string | undefined;
  /** The QUIC application error code, when the reset was a QUIC stream reset or close. */
  readonly applicationCode: bigint | undefined;

  /**
   * @param message Defaults to `"Connection reset by peer"`.
   * @param options The transport's details; `cause`: the runtime's error.
   */
  constructor(message = "Connection reset by peer", options: ConnectionResetErrorOptions = {}) {
    super("ECONNRESET", message, options.cause === undefined ? undefined : { cause: options.cause });
    this.systemCode = options.systemCode;
    this.syscall = options.syscall;
    this.closeCode = options.closeCode;
    this.reason = options.reason;
    this.applicationCode = options.applicationCode;
  }
}
