/**
 * A byte buffer built for stream readers: O(1) chunk append, separator search that straddles chunks
 * and resumes where it stopped, earliest-ending match among several separators, and take, peek and
 * discard from the front. Also home of {@linkcode StreamError}, the base of every asyncstreams error.
 *
 * @module
 */
export { ByteBuffer } from "./byte-buffer.js";
export type { ByteBufferOptions } from "./byte-buffer-options.js";
export type { ByteSearch } from "./byte-search.js";
export { portableByteSearch } from "./portable-byte-search.js";
export type { SeparatorMatch } from "./separator-match.js";
export { StreamError } from "./stream-error.js";
export type { StreamErrorOptions } from "./stream-error.js";
export { NotImplementedError } from "./not-implemented-error.js";
