/**
 * Finds `needle` (one byte value, or a byte sequence) in `haystack` at or after `fromIndex` and
 * returns its position, or -1: the search primitive a `ByteBuffer` runs inside each chunk.
 *
 * The default, {@linkcode portableByteSearch}, runs on every runtime. A runtime with a faster
 * native search can supply its own; the net package passes Node's `Buffer` search (memchr and a
 * tuned string search, two to four times faster), which needs no `Buffer` instances.
 *
 * @example
 * ```ts
 * import { ByteBuffer, type ByteSearch } from "@asyncstreams/buffer";
 *
 * const search: ByteSearch = (haystack, needle, fromIndex) =>
 *   typeof needle === "number" ? haystack.indexOf(needle, fromIndex) : -1;
 * const buffer = new ByteBuffer({ search });
 * ```
 */
export type ByteSearch = (haystack: Uint8Array, needle: number | Uint8Array, fromIndex: number) => number;
