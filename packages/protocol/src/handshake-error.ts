import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * Opening a connection failed in its handshake: TLS (a certificate that does not verify, a name
 * that does not match, a timeout), a WebSocket upgrade the server refused, a QUIC handshake. It is
 * the base class of each transport's own handshake error (`TlsError` in net and tls, the WebSocket
 * and QUIC packages' errors), so `instanceof HandshakeError` catches them all, and `code` says
 * which: the stack's own code where it has one (`CERT_HAS_EXPIRED`), else this project's.
 *
 * @example
 * ```ts
 * import { HandshakeError } from "@asyncstreams/protocol";
 *
 * const error = new HandshakeError(
 *   "ERR_HANDSHAKE_FAILED",
 *   "Cannot open the connection: the peer refused the handshake",
 * );
 * console.log(error instanceof HandshakeError, error.code); // true "ERR_HANDSHAKE_FAILED"
 * ```
 */
export class HandshakeError extends StreamError {
  static {
    this.brand("HandshakeError");
  }

  /**
   * @param code The stack's code where it has one, else one of this project's `ERR_*` codes.
   * @param message The failed action first, then a colon and the detail.
   * @param options `cause`: the stack's own error.
   */
  constructor(code: string, message: string, options?: StreamErrorOptions) {
    super(code, message, options);
  }
}
