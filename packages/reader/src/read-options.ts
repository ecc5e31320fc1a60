import type { OverflowPolicy } from "./overflow-policy.js";

/**
 * Options every `StreamReader` read takes.
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * const line = reader.readLine({ signal: AbortSignal.timeout(1000) });
 * reader.feedData(new TextEncoder().encode("in time\n"));
 * console.log(new TextDecoder().decode(await line)); // "in time\n"
 * ```
 */
export interface ReadOptions {
  /**
   * Aborts the read: it rejects with `signal.reason`, consumes nothing, and the reader is ready for
   * the next read at once. Bytes already buffered, or arriving later, are kept in order.
   */
  signal?: AbortSignal | undefined;
  /**
   * For `readLine()` and `readUntil()`: what to do with a line longer than the limit (see
   * {@linkcode OverflowPolicy}); defaults to the reader's `overflow` option. Other reads ignore it.
   */
  overflow?: OverflowPolicy | undefined;
}
