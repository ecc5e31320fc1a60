import type { WriterTransport } from "./writer-transport.js";

/**
 * What a `StreamWriter` needs from the protocol behind it: write flow control for `drain()`, the
 * close waiter for `waitClosed()`, and a hook to learn of a new transport after `startTls()`. The
 * protocol package's `StreamReaderProtocol` is one.
 *
 * @example
 * ```ts
 * import type { WriterProtocol } from "@asyncstreams/writer";
 *
 * const alwaysReady: WriterProtocol = {
 *   drainHelper: () => Promise.resolve(),
 *   closeWaiter: () => new Promise<void>(() => {}),
 * };
 * ```
 */
export interface WriterProtocol {
  /**
   * Resolves at once unless writing is paused, then when it resumes; rejects when the connection
   * was lost. `signal` aborts this one wait.
   *
   * Cancel safety: an abort must end only this wait, rejecting with `signal.reason`; other waiters and
   * the buffered bytes are left alone.
   */
  drainHelper(signal?: AbortSignal): Promise<void>;
  /**
   * A promise that settles when the connection is lost: resolved on a clean close, rejected with
   * the error otherwise. The same promise each time, never reported as an unhandled rejection.
   *
   * Cancel safety: no signal; the promise only observes the connection.
   */
  closeWaiter(): Promise<void>;
  /**
   * Tells whether the transport has paused writing: between its `pauseWriting()` and
   * `resumeWriting()` calls, when `drainHelper()` would wait. Optional: `StreamWriter.isPaused`
   * reads `false` without it.
   */
  isWritingPaused?(): boolean;
  /** Called with the new transport after a successful `startTls()`. */
  replaceTransport?(transport: WriterTransport): void;
}
