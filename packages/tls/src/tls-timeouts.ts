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
   */
  handshakeTimeout?: number | undefined;
  /** A TLS close that takes longer is aborted, so `waitClosed()` never waits longer. Default 30,000. */
  shutdownTimeout?: number | undefined;
}
