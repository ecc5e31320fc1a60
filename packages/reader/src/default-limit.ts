/**
 * The default `limit` of a `StreamReader`: 64 KiB, asyncio's `_DEFAULT_LIMIT` (2 ** 16).
 *
 * It bounds the length of a line or separated chunk, and reading pauses when more than twice this
 * many bytes are buffered.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMIT, StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader({ limit: 4 * DEFAULT_LIMIT });
 * ```
 */
export const DEFAULT_LIMIT: number = 65_536;
