import { StreamError } from "@asyncstreams/buffer";

/**
 * Thrown when a stream is driven out of order, where asyncio has an assertion: `feedData()` after
 * `feedEof()`, or `setTransport()` on a reader that already has a transport. It signals a bug in
 * the transport or protocol driving the reader, not a condition of the data.
 *
 * @example
 * ```ts
 * import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * reader.feedEof();
 * try {
 *   reader.feedData(new Uint8Array([1]));
 * } catch (error) {
 *   console.log(error instanceof InvalidStateError); // true
 * }
 * ```
 */
export class InvalidStateError extends StreamError {
  static {
    this.brand("InvalidStateError");
  }

  /** Always `ERR_ASYNCSTREAMS_INVALID_STATE`. */
  declare readonly code: "ERR_ASYNCSTREAMS_INVALID_STATE";

  /**
   * @param message The refused action and why, for example `Cannot feed data: feedEof() was already called`.
   */
  constructor(message: string) {
    super("ERR_ASYNCSTREAMS_INVALID_STATE", message);
  }
}
