import type { ByteSearch } from "@asyncstreams/buffer";
import { Buffer } from "node:buffer";

// Taken from an empty Buffer: the method works on any Uint8Array `this`, with no Buffer made per call.
const bufferIndexOf: (this: Uint8Array, value: number | Uint8Array, byteOffset: number) => number =
  // eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(haystack, ...)
  Buffer.alloc(0).indexOf;

/**
 * Node's native byte search as a `ByteSearch`: `Buffer.prototype.indexOf` (memchr for one byte, a
 * tuned string search for a sequence) applied to plain `Uint8Array`s, with no `Buffer` made. Readers
 * made by this package use it; pass it to a `StreamReader` of your own on Node for the same speed.
 *
 * @example
 * ```ts
 * import { nodeByteSearch } from "@asyncstreams/net";
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader({ search: nodeByteSearch });
 * ```
 */
export const nodeByteSearch: ByteSearch = (haystack, needle, fromIndex) =>
  bufferIndexOf.call(haystack, needle, fromIndex);
