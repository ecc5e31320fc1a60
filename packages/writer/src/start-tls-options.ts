/**
 * Options for `StreamWriter.startTls()`: TLS settings in the shape of the tls package's
 * `TlsOptions` (key, cert, ca, serverName, rejectUnauthorized, alpnProtocols, ...), plus timeouts
 * and a signal. The transport that performs the upgrade defines and checks the TLS fields.
 *
 * @example
 * ```ts
 * import type { StartTlsOptions } from "@asyncstreams/writer";
 *
 * const options: StartTlsOptions = { serverName: "localhost", handshakeTimeout: 10_000 };
 * ```
 */
export interface StartTlsOptions {
  /** Milliseconds the handshake may take before the connection is closed. Default 60,000. */
  handshakeTimeout?: number | undefined;
  /** Milliseconds a TLS shutdown may take before the connection is aborted. Default 30,000. */
  shutdownTimeout?: number | undefined;
  /** Aborts the upgrade; the connection is then closed. */
  signal?: AbortSignal | undefined;
  /** TLS settings, passed to the transport. */
  [option: string]: unknown;
}
