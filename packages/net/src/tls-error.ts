import { HandshakeError } from "@asyncstreams/protocol";

/**
 * A TLS handshake or upgrade failed (a {@linkcode HandshakeError}, like every transport's handshake failure): a certificate that does not verify, a host name that does not
 * match, a handshake that timed out, a peer that is not speaking TLS. `code` is Node's (or
 * OpenSSL's) code, such as `ERR_TLS_CERT_ALTNAME_INVALID`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
 * `DEPTH_ZERO_SELF_SIGNED_CERT`, `CERT_HAS_EXPIRED`, or this project's `ERR_TLS_HANDSHAKE_TIMEOUT`
 * and `ERR_TLS_SHUTDOWN_TIMEOUT`; `cause` is the original error.
 *
 * @example
 * ```ts
 * import { TlsError } from "@asyncstreams/net";
 *
 * const error = new TlsError("ERR_TLS_HANDSHAKE_TIMEOUT", "Cannot start TLS: the handshake timed out");
 * console.log(error.code); // "ERR_TLS_HANDSHAKE_TIMEOUT"
 * ```
 */
export class TlsError extends HandshakeError {
  /**
   * @param code Node's or OpenSSL's code, or one of this project's `ERR_TLS_*` codes.
   * @param message The failed action first, then a colon and the detail.
   * @param options `cause`: the original error.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
