import type { ByteSearch } from "@asyncstreams/buffer";
import type { OverflowPolicy } from "./overflow-policy.js";

/**
 * Options for `StreamReader`.
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 * import type { StreamReaderOptions } from "@asyncstreams/reader";
 *
 * const options: StreamReaderOptions = { limit: 8192, overflow: "chunk" };
 * const reader = new StreamReader(options);
 * ```
 */
export interface StreamReaderOptions {
  /**
   * The longest line or separated chunk accepted, and half the buffer size at which reading
   * pauses. Defaults to `DEFAULT_LIMIT` (64 KiB). Must be greater than 0.
   */
  limit?: number | undefined;
  /**
   * What `readLine()`, `readUntil()` and line iteration do with a line longer than `limit`, unless
   * a read passes its own: see {@linkcode OverflowPolicy}. Defaults to `"error"` (asyncio's rule).
   */
  overflow?: OverflowPolicy | undefined;
  /**
   * The byte search run inside each received chunk (see `ByteSearch` in `@asyncstreams/buffer`).
   * The net and tls packages pass Node's native search; the portable default runs everywhere.
   */
  search?: ByteSearch | undefined;
}
