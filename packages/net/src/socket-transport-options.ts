import type { WriteBufferLimits } from "@asyncstreams/protocol";
import type { SocketTransport } from "./socket-transport.js";

/**
 * Options for `SocketTransport`.
 *
 * @example
 * ```ts
 * import type { SocketTransportOptions } from "@asyncstreams/net";
 *
 * const options: SocketTransportOptions = { writeBufferLimits: { high: 256 * 1024 } };
 * ```
 */
export interface SocketTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** Called once, right after the protocol's `connectionLost()`: a server's client tracking. */
  onDetach?: ((transport: SocketTransport) => void) | undefined;
  /** Extra `getExtraInfo()` entries, for example a Unix socket's path as `peername`. */
  extraInfo?: Record<string, unknown> | undefined;
  /** Whether this end accepted the connection: `startTls()` then acts as the TLS server. */
  serverSide?: boolean | undefined;
  /** The host name the connection was opened to: `startTls()`'s default `serverName`. */
  hostname?: string | undefined;
  /** `socket` is already a TLS socket whose handshake is done (the tls package's connections). */
  tls?: { options: object | undefined; shutdownTimeout?: number | undefined } | undefined;
}
