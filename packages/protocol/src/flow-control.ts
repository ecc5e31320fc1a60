import { ConnectionLostError } from "@asyncstreams/writer";

/** A resolved promise shared by every drain that need not wait. */
const READY: Promise<void> = Promise.resolve();

interface DrainWaiter {
  resolve(): void;
  reject(reason: unknown): void;
}

/**
 * asyncio's `FlowControlMixin`: the write-side flow control behind `StreamWriter.drain()`. The
 * transport calls `pauseWriting()` / `resumeWriting()`; `drainHelper()` waits in between. Any
 * number of callers may wait at once, and one `resumeWriting()` wakes them all (gh-74116).
 *
 * Deliberate difference: asyncio asserts on `pauseWriting()` twice in a row (or `resumeWriting()`
 * without a pause); here the repeated call is ignored.
 *
 * @example
 * ```ts
 * import { FlowControl } from "@asyncstreams/protocol";
 *
 * const flow = new FlowControl();
 * flow.pauseWriting();
 * const waiting = Promise.all([flow.drainHelper(), flow.drainHelper()]);
 * flow.resumeWriting();
 * await waiting; // both waiters were released by the one resume
 * ```
 */
export class FlowControl {
  #paused = false;
  #connectionLost = false;
  /** Made by the first drain that waits: most connections never wait, and a Set costs 150 bytes. */
  #waiters: Set<DrainWaiter> | null = null;
  /** Set by `failWriting()`: the error every drain rejects with from then on. */
  #writeFailure: { error: unknown } | null = null;

  /**
   * Whether the transport has paused writing (its buffer is above the high-water mark), so that
   * `drainHelper()` would wait: what `StreamWriter.isPaused` reports.
   *
   * @returns `true` between `pauseWriting()` and `resumeWriting()`, unless the connection was lost
   *   or writing failed since: a drain then rejects at once instead of waiting.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * console.log(flow.isWritingPaused()); // false
   * flow.pauseWriting();
   * console.log(flow.isWritingPaused()); // true
   * ```
   */
  isWritingPaused(): boolean {
    return this.#paused && !this.#connectionLost && this.#writeFailure === null;
  }

  /**
   * Called by the transport when its write buffer rises above the high-water mark.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * flow.pauseWriting(); // what a transport calls above its high-water mark
   * flow.pauseWriting(); // repeated: ignored, where asyncio would assert
   * const error = await flow.drainHelper(AbortSignal.timeout(10)).catch((reason: unknown) => reason);
   * console.log((error as Error).name); // "TimeoutError": drainHelper() waited
   * ```
   */
  pauseWriting(): void {
    this.#paused = true;
  }

  /**
   * Called by the transport when its write buffer falls to the low-water mark: wakes all waiters.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * flow.pauseWriting();
   * const woken: string[] = [];
   * const waiting = [flow.drainHelper().then(() => woken.push("a")), flow.drainHelper().then(() => woken.push("b"))];
   * flow.resumeWriting(); // one resume wakes every waiter
   * await Promise.all(waiting);
   * console.log(woken); // ["a", "b"]
   * ```
   */
  resumeWriting(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (this.#waiters !== null) for (const waiter of this.#waiters) waiter.resolve();
  }

  /**
   * Called by a transport whose connection ended while its reader still has data to read: the
   * transport holds `connectionLost()` back until the reader has caught up (a WebSocket's close,
   * a QUIC stream's reset), but nothing written can arrive any more. Every drain waiting now, and
   * every later one, rejects with `error`, the object the reader gets after its data, as after a
   * TCP reset. Later calls are ignored.
   *
   * @param error What ended the connection.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * flow.pauseWriting();
   * const waiting = flow.drainHelper();
   * const reset = new Error("closed with 1011");
   * flow.failWriting(reset);
   * console.log((await waiting.catch((reason: unknown) => reason)) === reset); // true
   * console.log((await flow.drainHelper().catch((reason: unknown) => reason)) === reset); // true: from now on
   * ```
   */
  failWriting(error: unknown): void {
    if (this.#writeFailure !== null) return;
    this.#writeFailure = { error };
    if (this.#waiters !== null) for (const waiter of this.#waiters) waiter.reject(error);
  }

  /**
   * Records that the connection is gone. Waiters still blocked are released: resolved after a
   * clean close (asyncio does the same), rejected with `error` otherwise.
   *
   * @param error What broke the connection, or `undefined` after a clean close.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * flow.pauseWriting();
   * const waiting = flow.drainHelper();
   * flow.connectionLost(new Error("reset by peer"));
   * console.log(await waiting.catch((reason: unknown) => (reason as Error).message)); // "reset by peer"
   * console.log(await flow.drainHelper().catch((reason: unknown) => (reason as Error).name)); // "ConnectionLostError"
   * ```
   */
  connectionLost(error: unknown): void {
    this.#connectionLost = true;
    if (!this.#paused || this.#waiters === null) return;
    for (const waiter of this.#waiters) {
      if (error === undefined || error === null) waiter.resolve();
      else waiter.reject(error);
    }
  }

  /**
   * Resolves at once unless writing is paused, then when it resumes.
   *
   * Cancel safety: an abort ends only this wait; the other waiters keep waiting and nothing written is
   * affected.
   *
   * @param signal Aborts this wait only; the other waiters keep waiting.
   * @returns A promise of the wait.
   * @throws {ConnectionLostError} When the connection was already lost.
   * @throws The error given to `failWriting()`, once it was called.
   * @throws {TypeError} When `signal` is not an `AbortSignal`; nothing else changes then.
   *
   * @example
   * ```ts
   * import { FlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new FlowControl();
   * await flow.drainHelper(); // not paused: resolves at once
   * flow.pauseWriting();
   * const aborted = await flow.drainHelper(AbortSignal.timeout(10)).catch((reason: unknown) => reason);
   * console.log((aborted as Error).name); // "TimeoutError"
   * const waiting = flow.drainHelper();
   * flow.resumeWriting();
   * console.log(await waiting); // undefined: resumed
   * ```
   */
  drainHelper(signal?: AbortSignal): Promise<void> {
    // Checked before any state changes: a waiter added before a failing addEventListener() would
    // stay in the set, and the next resumeWriting() would throw from it.
    if (
      signal !== undefined &&
      typeof (signal as { addEventListener?: unknown } | null)?.addEventListener !== "function"
    )
      return Promise.reject(
        new TypeError(
          `Cannot drain: signal should be an AbortSignal or undefined, got ${typeof signal === "string" ? JSON.stringify(signal) : signal === null ? "null" : typeof signal}`,
        ),
      );
    if (this.#writeFailure !== null) return Promise.reject(this.#writeFailure.error);
    if (this.#connectionLost) return Promise.reject(new ConnectionLostError());
    if (!this.#paused) return READY;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const waiters = (this.#waiters ??= new Set());
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => settle(() => reject(signal!.reason));
      const settle = (action: () => void): void => {
        waiters.delete(waiter);
        signal?.removeEventListener("abort", onAbort);
        action();
      };
      const waiter: DrainWaiter = {
        resolve: () => settle(resolve),
        reject: (reason) => settle(() => reject(reason)),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      waiters.add(waiter);
    });
  }
}
