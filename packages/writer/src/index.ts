/**
 * asyncio's `StreamWriter` for any JavaScript runtime: non-blocking `write` and `writeLines`,
 * `drain` for back-pressure (many waiters, abortable), half-close with `writeEof`, `close` and
 * `waitClosed`, in-place TLS upgrade with `startTls` where the transport supports it, counters for
 * metrics (`bytesWritten`, `bufferedLength`, `isPaused`), and `drainDeadline` for drains that
 * must not wait forever on a peer that stopped reading.
 *
 * @module
 */
export { ConnectionLostError } from "./connection-lost-error.js";
export { drainDeadline } from "./drain-deadline.js";
export type { DrainDeadline, DrainDeadlineOptions, DrainProgress } from "./drain-deadline.js";
export { DrainTimeoutError } from "./drain-timeout-error.js";
export type { ExtraInfo, SocketAddress } from "./extra-info.js";
export type { StartTlsOptions } from "./start-tls-options.js";
export { StreamWriter } from "./stream-writer.js";
export type { StreamWriterOptions } from "./stream-writer.js";
export type { WriterProtocol } from "./writer-protocol.js";
export type { WriterTransport } from "./writer-transport.js";
