import { StreamReaderProtocol } from "@asyncstreams/protocol";

/**
 * The protocol behind this package's `(reader, writer)`: a `StreamReaderProtocol` whose write side
 * can fail before the reader learns of the loss. A WebSocket's close ends both directions at once,
 * but the reader must first read the data still queued for it; meanwhile `drain()` (and the drains
 * already waiting) fail with the connection's error, where asyncio's protocol would only learn of
 * the loss in `connectionLost()`.
 */
export class WebSocketProtocol extends StreamReaderProtocol {
  /** Why writing failed; meaningful once `#writeFailed` is set (the error may be any value). */
  #writeError: unknown = undefined;
  #writeFailed = false;
  /** Rejects the drains that are waiting, when writing fails. */
  readonly #failWaiters = new Set<(error: unknown) => void>();

  /**
   * The connection ended while the reader is still behind: from now on `drain()` rejects with
   * `error` (the same object the reader gets after its data). Once.
   */
  writeFailed(error: unknown): void {
    if (this.#writeFailed) return;
    this.#writeFailed = true;
    this.#writeError = error;
    for (const reject of [...this.#failWaiters]) reject(error);
    this.#failWaiters.clear();
  }

  /** @inheritDoc */
  override drainHelper(signal?: AbortSignal): Promise<void> {
    if (this.#writeFailed) return Promise.reject(this.#writeError);
    const waiting = super.drainHelper(signal);
    if (!this.isWritingPaused()) return waiting;
    // The flow-control waiter stays parked until connectionLost(); the failure settles this drain first.
    let failWaiter: ((error: unknown) => void) | undefined;
    const failed = new Promise<never>((_, reject) => this.#failWaiters.add((failWaiter = reject)));
    const done = (): void => void this.#failWaiters.delete(failWaiter!);
    return Promise.race([waiting, failed]).finally(done);
  }
}
