/**
 * asyncio's default high-water mark of a transport's write buffer: 64 KiB. The low-water mark
 * defaults to a quarter of the high one. Every transport of this project starts from it.
 *
 * @example
 * ```ts
 * import { DEFAULT_WRITE_BUFFER_HIGH } from "@asyncstreams/protocol";
 *
 * console.log(DEFAULT_WRITE_BUFFER_HIGH); // 65536
 * ```
 */
export const DEFAULT_WRITE_BUFFER_HIGH = 65_536;
