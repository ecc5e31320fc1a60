import { StreamError } from "@asyncstreams/buffer";

/**
 * The reader was paused and the peer kept sending past `maxReadBuffer` bytes, on a socket that
 * cannot stop reading (the WHATWG `WebSocket` has no pause). The transport closes the connection
 * with close code 1009 (message too big; 4009 from a WHATWG `WebSocket`, which may send only 1000
 * and 3000-4999) and every pending and later read and `drain()` rejects with this error. That cap
 * is what bounds memory there.
 *
 * @example
 * ```ts
 * import { ReadOverflowError } from "@asyncstreams/websocket";
 *
 * const error = new ReadOverflowError(8 * 1024 * 1024);
 * console.log(error.code, error.maxReadBuffer); // "ERR_WEBSOCKET_READ_OVERFLOW" 8388608
 * ```
 */
export class ReadOverflowError extends StreamError {
  static {
    this.brand("ReadOverflowError");
  }

  declare readonly code: "ERR_WEBSOCKET_READ_OVERFLOW";
  /** The cap that was passed, in bytes. */
  readonly maxReadBuffer: number;

  /**
   * @param maxReadBuffer The cap that was passed, in bytes.
   */
  constructor(maxReadBuffer: number) {
    super(
      "ERR_WEBSOCKET_READ_OVERFLOW",
      `Cannot receive: the peer sent more than maxReadBuffer (${maxReadBuffer} bytes) while the reader was paused, and this WebSocket cannot pause reading; read faster or raise maxReadBuffer`,
    );
    this.maxReadBuffer = maxReadBuffer;
  }
}
