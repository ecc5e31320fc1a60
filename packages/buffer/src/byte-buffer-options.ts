import type { ByteSearch } from "./byte-search.js";

/**
 * Options for {@linkcode ByteBuffer}.
 *
 * @example
 * ```ts
 * import { ByteBuffer, portableByteSearch, type ByteBufferOptions } from "@asyncstreams/buffer";
 *
 * const options: ByteBufferOptions = { search: portableByteSearch };
 * const buffer = new ByteBuffer(options);
 * buffer.append(new TextEncoder().encode("key=value\n"));
 * console.log(buffer.indexOfByte(0x3d)); // 3
 * ```
 */
export interface ByteBufferOptions {
  /** The search primitive run inside each chunk; see {@linkcode ByteSearch}. */
  search?: ByteSearch | undefined;
}
