import { StreamError } from "@asyncstreams/buffer";

/**
 * Thrown when the stream ends before a read could complete: `readExactly()` before `n` bytes,
 * `readUntil()` before a separator. asyncio's `IncompleteReadError` (a subclass of `EOFError`),
 * with the same message text: `"18 bytes read on a total of 36 expected bytes"`.
 *
 * The bytes received before the end are in {@linkcode IncompleteReadError.partial}; they have been
 * removed from the reader, as asyncio removes them.
 *
 * @example
 * ```ts
 * import { IncompleteReadError, StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * reader.feedData(new Uint8Array([1, 2]));
 * reader.feedEof();
 * try {
 *   await reader.readExactly(4);
 * } catch (error) {
 *   if (error instanceof IncompleteReadError) console.log(error.partial, error.expected); // Uint8Array [1, 2] 4
 * }
 * ```
 */
export class IncompleteReadError extends StreamError {
  static {
    this.brand("IncompleteReadError");
  }

  /** Always `ERR_INCOMPLETE_READ`. */
  declare readonly code: "ERR_INCOMPLETE_READ";

  /** The bytes read before the stream ended. */
  readonly partial: Uint8Array;
  /** How many bytes were expected, or `null` when unknown (`readUntil()`). */
  readonly expected: number | null;

  /**
   * @param partial The bytes read before the stream ended.
   * @param expected How many bytes were expected, or `null` when unknown.
   */
  constructor(partial: Uint8Array, expected: number | null) {
    super(
      "ERR_INCOMPLETE_READ",
      `${partial.length} bytes read on a total of ${expected === null ? "undefined" : String(expected)} expected bytes`,
    );
    this.partial = partial;
    this.expected = expected;
  }
}
