import { StreamError } from "@asyncstreams/buffer";

/**
 * Thrown when a separated chunk is longer than the reader's limit: asyncio's `LimitOverrunError`,
 * with asyncio's two messages, `"Separator is not found, and chunk exceed the limit"` and
 * `"Separator is found, but chunk is longer than limit"`.
 *
 * From `readUntil()` the buffered bytes are kept, so they can still be read (with `read()`, for
 * example). From `readLine()` the over-long line is discarded exactly as asyncio discards it.
 * {@linkcode LimitOverrunError.consumed} is asyncio's `consumed`: the index of the separator when
 * it was found, otherwise how many bytes were searched without finding it.
 * {@linkcode LimitOverrunError.offset} (not in asyncio) is where the over-long chunk starts in the
 * stream, counted in bytes from its first byte, for logs that must point at the bad input.
 *
 * @example
 * ```ts
 * import { LimitOverrunError, StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader({ limit: 3 });
 * reader.feedData(new TextEncoder().encode("too long\n"));
 * try {
 *   await reader.readUntil(new TextEncoder().encode("\n"));
 * } catch (error) {
 *   if (error instanceof LimitOverrunError) console.log(error.consumed, error.offset); // 8 0
 * }
 * ```
 */
export class LimitOverrunError extends StreamError {
  static {
    this.brand("LimitOverrunError");
  }

  /** Always `ERR_LIMIT_OVERRUN`. */
  declare readonly code: "ERR_LIMIT_OVERRUN";

  /** Bytes to be consumed: the separator's index, or the bytes searched when it was not found. */
  readonly consumed: number;
  /** The stream position of the over-long chunk's first byte (the reader's `bytesConsumed` then). */
  readonly offset: number;

  /**
   * @param message What overran the limit.
   * @param consumed The number of bytes to be consumed.
   * @param offset The stream position where the over-long chunk starts; 0 when unknown.
   */
  constructor(message: string, consumed: number, offset = 0) {
    super("ERR_LIMIT_OVERRUN", message);
    this.consumed = consumed;
    this.offset = offset;
  }
}
