/**
 * How a QUIC connection ended: what `connection.closed` resolves to.
 *
 * @example
 * ```ts
 * import type { QuicCloseInfo } from "@asyncstreams/quic";
 *
 * const info: QuicCloseInfo = { code: 0n, reason: "bye", remote: true };
 * ```
 */
export interface QuicCloseInfo {
  /** The close code (an application code unless `error` says otherwise); `0n` for a clean close. */
  code: bigint;
  /** The reason phrase, `""` when none. */
  reason: string;
  /** `true`: the peer closed; `false`: this side did; `undefined`: neither (idle timeout, network). */
  remote: boolean | undefined;
  /** The stack's error, when the connection failed rather than closed. */
  error?: unknown;
}
