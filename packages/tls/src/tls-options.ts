import type { ConnectionOptions, TlsOptions as NodeServerTlsOptions } from "node:tls";

/** Node's names that this package spells differently: `serverName` and `alpnProtocols`. */
type RenamedNodeOptions = "servername" | "ALPNProtocols";

/**
 * Node's connection-level options: the connector or server sets them itself (host, port, socket,
 * timeouts, socket flags), so inside `tls` they would be ignored or break the connection.
 */
type ConnectionLevelOptions =
  | "host"
  | "port"
  | "path"
  | "socket"
  | "lookup"
  | "timeout"
  | "handshakeTimeout"
  | "allowHalfOpen"
  | "pauseOnConnect"
  | "noDelay"
  | "keepAlive"
  | "keepAliveInitialDelay"
  | "highWaterMark";

/** Options retyped below: Node types them with `Buffer`, and any `Uint8Array` works at run time. */
type RetypedOptions = "key" | "cert" | "ca" | "pfx" | "pskCallback";

/** PEM text or DER/PEM bytes (a Node `Buffer` is a `Uint8Array`). */
type Material = string | Uint8Array;

/**
 * TLS settings: Node's own `tls` options (`tls.connect()` and `tls.createServer()`), typed from
 * Node's declarations so that every real option passes (`SNICallback`, `pfx`, `minVersion`, ...)
 * and a misspelled one is a type error, except two renamed ones: `serverName` (Node: `servername`)
 * and `alpnProtocols` (Node: `ALPNProtocols`). Connection-level options (`host`, `port`,
 * `socket`, Node's `handshakeTimeout`, ...) belong to the connector, not here.
 *
 * At run time an unknown name is a `TypeError` naming it, because an ignored TLS option can
 * silently weaken a connection.
 *
 * @example
 * ```ts
 * import type { TlsOptions } from "@asyncstreams/tls";
 *
 * const client: TlsOptions = { ca: "-----BEGIN CERTIFICATE-----...", serverName: "localhost" };
 * const server: TlsOptions = {
 *   key: "-----BEGIN PRIVATE KEY-----...",
 *   cert: "-----BEGIN CERTIFICATE-----...",
 *   minVersion: "TLSv1.3",
 * };
 * ```
 */
export interface TlsOptions
  extends Omit<ConnectionOptions, RenamedNodeOptions | ConnectionLevelOptions | RetypedOptions>,
    Omit<NodeServerTlsOptions, RenamedNodeOptions | ConnectionLevelOptions | RetypedOptions> {
  /** Private key(s): PEM or DER, or `{ pem, passphrase }` objects. For a server or a client certificate. */
  key?: Material | readonly (Material | { pem: Material; passphrase?: string | undefined })[] | undefined;
  /** Certificate chain(s) (PEM). */
  cert?: Material | readonly Material[] | undefined;
  /** Trusted CA certificates (PEM); Node's bundled roots when unset. */
  ca?: Material | readonly Material[] | undefined;
  /** A PKCS#12 bundle holding the key and certificate, instead of `key` and `cert`. */
  pfx?: Material | readonly (Material | { buf: Material; passphrase?: string | undefined })[] | undefined;
  /** The name to check the server's certificate against (and send as SNI). Default: the host. */
  serverName?: string | undefined;
  /** ALPN protocols to offer (client) or accept (server), in preference order. */
  alpnProtocols?: readonly string[] | undefined;
  /** TLS-PSK: Node's client callback on a connector, its server callback on a server. */
  pskCallback?: ConnectionOptions["pskCallback"] | NodeServerTlsOptions["pskCallback"] | undefined;
}
