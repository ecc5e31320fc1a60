import { StreamError } from "@asyncstreams/buffer";
import type { StreamErrorOptions } from "@asyncstreams/buffer";

/**
 * Thrown by a `TextReader` made with `fatal: true` when a line (or a `readUntil()` result) is not
 * valid in its encoding (Python raises `UnicodeDecodeError` there). The bytes were already taken
 * from the reader: they are in {@linkcode TextDecodeError.data}, ending included, so nothing is
 * lost, and the next read starts after them.
 *
 * @example
 * ```ts
 * import { TextDecodeError } from "@asyncstreams/reader";
 *
 * const error = new TextDecodeError("utf-8", new Uint8Array([0xff, 0x0a]));
 * console.log(error.code, error.message); // "ERR_TEXT_DECODE" "Cannot decode text: 2 bytes are not valid utf-8"
 * ```
 */
export class TextDecodeError extends StreamError {
  static {
    this.brand("TextDecodeError");
  }

  /** Always `ERR_TEXT_DECODE`. */
  declare readonly code: "ERR_TEXT_DECODE";

  /** The bytes that failed to decode, as read (line ending or separator included). */
  readonly data: Uint8Array;
  /** The encoding they were decoded with, by its canonical name (for example `"utf-8"`). */
  readonly encoding: string;

  /**
   * @param encoding The canonical name of the encoding.
   * @param data The bytes that failed to decode.
   * @param options `cause`: the decoder's own error.
   */
  constructor(encoding: string, data: Uint8Array, options?: StreamErrorOptions) {
    super("ERR_TEXT_DECODE", `Cannot decode text: ${data.length} bytes are not valid ${encoding}`, options);
    this.data = data;
    this.encoding = encoding;
  }
}
