/**
 * The TLS timeouts, asyncio's `ssl_handshake_timeout` and `ssl_shutdown_timeout`, in milliseconds.
 *
 * @example
 * ```ts
 * import type { TlsTimeouts } from "@asyncstreams/tls";
 *
 * const timeouts: TlsTimeouts = { handshakeTimeout: 10_000, shutdownTimeout: 5_000 };
 * ```
 */
export interface TlsTimeouts {
  /**
   * A handshake that takes longer fails with `ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT` and the socket is
   * closed. Default 60,000.
   *
   * On a server the deadline counts from the accept, so time spent in the accept queue of a busy
   * server counts too. Keep it well above the server's worst event-loop lag: in TLS 1.3 a client
   * sees its handshake complete (`secureConnect`) one flight before the server does, so a short
   * timeout on a loaded server can close connections that the client already considers established
   * (seen at 1,000 ms with load average 36 in the S6 load run; 3,000 ms did not show it).
   */
  handshakeTimeout?: number | undefined;
  /** A TLS close that takes longer is aborted, so `waitClosed()` never waits longer. Default 30,000. */
  shutdownTimeout?: number | undefined;
}
