import { StreamError } from "@asyncstreams/buffer";

/**
 * The reason a {@linkcode drainDeadline} signal aborts with: bytes were waiting to leave and none
 * left for `idle` ms (the peer stopped reading), or the `total` deadline passed. The same shape as
 * the reader package's `ReadTimeoutError` (`kind`, `timeout`), with its own `code`; the writer
 * package does not depend on the reader's.
 *
 * @example
 * ```ts
 * import { DrainTimeoutError } from "@asyncstreams/writer";
 *
 * const error = new DrainTimeoutError("idle", 5000);
 * console.log(error.code, error.message); // "ERR_DRAIN_TIMEOUT" "Drain timed out: no bytes sent for 5000 ms"
 * ```
 */
export class DrainTimeoutError extends StreamError {
  static {
    this.brand("DrainTimeoutError");
  }

  /** Always `ERR_DRAIN_TIMEOUT`. */
  declare readonly code: "ERR_DRAIN_TIMEOUT";

  /** Which limit expired: `"idle"` (no progress) or `"total"` (the overall deadline). */
  readonly kind: "idle" | "total";
  /** The limit that expired, in milliseconds. */
  readonly timeout: number;

  /**
   * @param kind Which limit expired.
   * @param timeout That limit, in milliseconds.
   */
  constructor(kind: "idle" | "total", timeout: number) {
    super(
      "ERR_DRAIN_TIMEOUT",
      kind === "idle"
        ? `Drain timed out: no bytes sent for ${timeout} ms`
        : `Drain timed out: deadline of ${timeout} ms passed`,
    );
    this.kind = kind;
    this.timeout = timeout;
  }
}
