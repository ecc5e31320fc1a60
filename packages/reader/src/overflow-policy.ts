/**
 * What `readLine()` and `readUntil()` do with a line or chunk longer than the reader's `limit`.
 *
 * - `"error"` (the default) is asyncio's rule: throw `LimitOverrunError`. `readUntil()` keeps the
 *   bytes buffered; `readLine()` discards the over-long line (through its `\n` when it was seen,
 *   else everything buffered).
 * - `"skip"` discards the over-long line or chunk through its separator, however long it grows,
 *   and returns the next one that fits: nothing is thrown, memory stays within `2 × limit` plus one
 *   received chunk, and `StreamReader.skippedCount` counts what was skipped. A line left
 *   unterminated at EOF is skipped too, so the read then reports EOF.
 * - `"chunk"` returns the over-long line or chunk in pieces of exactly `limit` bytes, then the last
 *   piece with its separator (Go's `bufio.Reader.ReadLine` "isPrefix" style): a piece that does not
 *   end with the separator means more of the same line follows. A piece never splits a separator.
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader({ limit: 4, overflow: "skip" });
 * reader.feedData(new TextEncoder().encode("far too long\nok\n"));
 * console.log(new TextDecoder().decode(await reader.readLine())); // "ok\n"
 * console.log(reader.skippedCount); // 1
 * ```
 */
export type OverflowPolicy = "error" | "skip" | "chunk";
