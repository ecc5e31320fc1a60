/**
 * asyncio's `StreamReader` for any JavaScript runtime: `read`, `readLine`, `readExactly` and
 * `readUntil` (one separator or several) with asyncio's exact limit rules, back-pressure through
 * the transport, line iteration with `for await`, and reads that an `AbortSignal` cancels without
 * losing a byte.
 *
 * @module
 */
export { DEFAULT_LIMIT } from "./default-limit.js";
export { IncompleteReadError } from "./incomplete-read-error.js";
export { InvalidStateError } from "./invalid-state-error.js";
export { LimitOverrunError } from "./limit-overrun-error.js";
export { readDeadline } from "./read-deadline.js";
export type { ReadDeadline, ReadDeadlineOptions } from "./read-deadline.js";
export type { OverflowPolicy } from "./overflow-policy.js";
export type { ReadOptions } from "./read-options.js";
export { ReadInProgressError } from "./read-in-progress-error.js";
export { ReadTimeoutError } from "./read-timeout-error.js";
export type { ReadingTransport } from "./reading-transport.js";
export { StreamReader } from "./stream-reader.js";
export type { StreamReaderOptions } from "./stream-reader-options.js";
export { TextDecodeError } from "./text-decode-error.js";
export { TextReader } from "./text-reader.js";
export type { TextReaderOptions } from "./text-reader.js";
