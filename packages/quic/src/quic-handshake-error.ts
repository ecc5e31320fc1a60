import { HandshakeError } from "@asyncstreams/protocol";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * A QUIC connection could not be opened: its handshake failed (`ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED`: a
 * certificate that does not verify, a name that does not match, no common ALPN protocol, the
 * peer refused) or did not finish within `handshakeTimeout` (`ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT`). The
 * stack's own error is the `cause`. A subclass of `HandshakeError`, like TLS's and WebSocket's.
 *
 * @example
 * ```ts
 * import { HandshakeError } from "@asyncstreams/protocol";
 * import { QuicHandshakeError } from "@asyncstreams/quic";
 *
 * const error = new QuicHandshakeError(
 *   "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
 *   "Cannot open a QUIC connection to 127.0.0.1:4433: the handshake did not finish within 100 ms",
 * );
 * console.log(error instanceof HandshakeError, error.code); // true "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT"
 * ```
 */
export class QuicHandshakeError extends HandshakeError {
  static {
    this.brand("QuicHandshakeError");
  }

  declare readonly code: "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED" | "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT";

  /**
   * @param code Which failure.
   * @param message The failed action first, then a colon and the detail.
   * @param options `cause`: the stack's own error.
   */
  constructor(
    code: "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED" | "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
    message: string,
    options?: StreamErrorOptions,
  ) {
    super(code, message, options);
  }
}
