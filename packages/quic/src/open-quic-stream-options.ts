import type { WriteBufferLimits } from "@asyncstreams/protocol";

/**
 * Options of {@linkcode QuicConnection.openStream}.
 *
 * @example
 * ```ts
 * import type { OpenQuicStreamOptions } from "@asyncstreams/quic";
 *
 * const options: OpenQuicStreamOptions = { limit: 1 << 20, unidirectional: false };
 * ```
 */
export interface OpenQuicStreamOptions {
  /** The reader's limit. Default: the connection's `limit` (64 KiB unless set). */
  limit?: number | undefined;
  /** Open a unidirectional (send-only) stream; its reader is at EOF at once. Default `false`. */
  unidirectional?: boolean | undefined;
  /** Write-buffer water marks of this stream. Default: the connection's. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
}
