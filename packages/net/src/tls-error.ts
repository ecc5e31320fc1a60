import { HandshakeError } from "@asyncstreams/protocol";
import type { SocketErrorCode } from "./socket-error.js";

/**
 * The codes a {@linkcode TlsError} carries: OpenSSL's certificate verification results as Node
 * reports them (`CERT_HAS_EXPIRED`, ...), Node's `ERR_TLS_*` codes, OpenSSL's library errors
 * (`ERR_SSL_*`, `ERR_OSSL_*`), the socket's code when the connection failed during the handshake
 * (`ECONNRESET` when it closed) or under TLS, and this project's own `ERR_ASYNCSTREAMS_TLS*`
 * codes. Any other string the runtime reports passes through unchanged.
 */
export type TlsErrorCode =
  | "CERT_CHAIN_TOO_LONG"
  | "CERT_HAS_EXPIRED"
  | "CERT_NOT_YET_VALID"
  | "CERT_REJECTED"
  | "CERT_REVOKED"
  | "CERT_SIGNATURE_FAILURE"
  | "CERT_UNTRUSTED"
  | "CRL_HAS_EXPIRED"
  | "CRL_NOT_YET_VALID"
  | "CRL_SIGNATURE_FAILURE"
  | "DEPTH_ZERO_SELF_SIGNED_CERT"
  | "ERROR_IN_CERT_NOT_AFTER_FIELD"
  | "ERROR_IN_CERT_NOT_BEFORE_FIELD"
  | "ERROR_IN_CRL_LAST_UPDATE_FIELD"
  | "ERROR_IN_CRL_NEXT_UPDATE_FIELD"
  | "HOSTNAME_MISMATCH"
  | "INVALID_CA"
  | "INVALID_PURPOSE"
  | "OUT_OF_MEM"
  | "PATH_LENGTH_EXCEEDED"
  | "SELF_SIGNED_CERT_IN_CHAIN"
  | "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY"
  | "UNABLE_TO_DECRYPT_CERT_SIGNATURE"
  | "UNABLE_TO_DECRYPT_CRL_SIGNATURE"
  | "UNABLE_TO_GET_CRL"
  | "UNABLE_TO_GET_ISSUER_CERT"
  | "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
  | "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
  | "ERR_TLS_CERT_ALTNAME_FORMAT"
  | "ERR_TLS_CERT_ALTNAME_INVALID"
  | "ERR_TLS_DH_PARAM_SIZE"
  | "ERR_TLS_INVALID_PROTOCOL_VERSION"
  | "ERR_TLS_PROTOCOL_VERSION_CONFLICT"
  | "ERR_TLS_RENEGOTIATION_DISABLED"
  | "ERR_TLS_REQUIRED_SERVER_NAME"
  | "ERR_TLS_SESSION_ATTACK"
  | `ERR_SSL_${string}`
  | `ERR_OSSL_${string}`
  | "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT"
  | "ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT"
  | "ERR_ASYNCSTREAMS_TLS_CERT_UNVERIFIED"
  | "ERR_ASYNCSTREAMS_TLS"
  | "ECONNRESET"
  | SocketErrorCode;

/**
 * A TLS handshake or upgrade failed (a {@linkcode HandshakeError}, like every transport's handshake
 * failure): a certificate that does not verify, a host name that does not match, a handshake that
 * timed out, a peer that is not speaking TLS. `code` is Node's (or OpenSSL's) code, such as
 * `ERR_TLS_CERT_ALTNAME_INVALID`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `CERT_HAS_EXPIRED`, or this project's `ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT` and
 * `ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT` (see {@linkcode TlsErrorCode}); `cause` is the original
 * error.
 *
 * @example
 * ```ts
 * import { TlsError } from "@asyncstreams/net";
 *
 * const error = new TlsError("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT", "Cannot start TLS: the handshake timed out");
 * console.log(error.code); // "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT"
 * ```
 */
export class TlsError extends HandshakeError {
  static {
    this.brand("TlsError");
  }

  /** Node's, OpenSSL's or this project's code: see {@linkcode TlsErrorCode}. */
  declare readonly code: TlsErrorCode;

  /**
   * @param code Node's or OpenSSL's code, or one of this project's `ERR_ASYNCSTREAMS_TLS*` codes.
   * @param message The failed action first, then a colon and the detail.
   * @param options `cause`: the original error.
   */
  constructor(code: TlsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
