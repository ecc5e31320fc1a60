/**
 * Where a separator search matched, as returned by `ByteBuffer.findFirst()`.
 *
 * @example
 * ```ts
 * import { ByteBuffer } from "@asyncstreams/buffer";
 *
 * const buffer = new ByteBuffer();
 * buffer.append(new TextEncoder().encode("ABCDEFG"));
 * const match = buffer.findFirst([new TextEncoder().encode("DEF"), new TextEncoder().encode("BCDE")]);
 * console.log(match); // { start: 1, end: 5, index: 1 }
 * ```
 */
export interface SeparatorMatch {
  /** Buffer position of the first separator byte. */
  readonly start: number;
  /** Buffer position just after the last separator byte. */
  readonly end: number;
  /** Which separator matched: its index in the array that was searched. */
  readonly index: number;
}
