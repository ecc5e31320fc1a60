import { StreamError } from "@asyncstreams/buffer";

/**
 * The reason a {@linkcode readDeadline} signal aborts with: no byte arrived for `idle` ms, or the
 * `total` deadline passed. The read it cancelled consumed nothing.
 *
 * @example
 * ```ts
 * import { ReadTimeoutError } from "@asyncstreams/reader";
 *
 * const error = new ReadTimeoutError("idle", 5000);
 * console.log(error.code, error.message); // "ERR_READ_TIMEOUT" "Read timed out: no data for 5000 ms"
 * ```
 */
export class ReadTimeoutError extends StreamError {
  static {
    this.brand("ReadTimeoutError");
  }

  /** Always `ERR_READ_TIMEOUT`. */
  declare readonly code: "ERR_READ_TIMEOUT";

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
      "ERR_READ_TIMEOUT",
      kind === "idle"
        ? `Read timed out: no data for ${timeout} ms`
        : `Read timed out: deadline of ${timeout} ms passed`,
    );
    this.kind = kind;
    this.timeout = timeout;
  }
}
