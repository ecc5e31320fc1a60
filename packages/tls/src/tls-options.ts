/**
 * TLS settings: Node's `tls` option names, except `serverName` (Node: `servername`) and
 * `alpnProtocols` (Node: `ALPNProtocols`). Other Node `tls` options pass through unchanged.
 *
 * @example
 * ```ts
 * import type { TlsOptions } from "@asyncstreams/tls";
 *
 * const client: TlsOptions = { ca: "-----BEGIN CERTIFICATE-----...", serverName: "localhost" };
 * ```
 */
export interface TlsOptions {
  /** Private key (PEM), for a server or a client certificate. */
  key?: string | Uint8Array | undefined;
  /** Certificate chain (PEM). */
  cert?: string | Uint8Array | undefined;
  /** Trusted CA certificates (PEM); Node's bundled roots when unset. */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /** The name to check the server's certificate against (and send as SNI). Default: the host. */
  serverName?: string | undefined;
  /** Refuse a certificate that does not verify. Default `true`; keep it. */
  rejectUnauthorized?: boolean | undefined;
  /** ALPN protocols to offer (client) or accept (server), in preference order. */
  alpnProtocols?: readonly string[] | undefined;
  /** Server side: ask clients for a certificate. */
  requestCert?: boolean | undefined;
  /** Other Node `tls` options. */
  [option: string]: unknown;
}
