/** What a wake-up's retry returns when the read found nothing to complete it and must go on waiting. */
export const WAIT_AGAIN: unique symbol = Symbol("WAIT_AGAIN");

/** A read that completes at the wake-up itself: its result, a promise of it, or `WAIT_AGAIN`. */
export type Retry<T, R> = (target: T) => R | PromiseLike<R> | typeof WAIT_AGAIN;

/**
 * The wake-up of a `StreamReader`'s one pending read (asyncio's `_waiter` future): new data or EOF
 * resolves it, a stored exception rejects it, and an abort drops only this wait, so that the next
 * read may start at once. The reader checks "one read at a time" before calling `wait()`.
 *
 * The wait is held in plain fields, not in an object per wait: an idle connection waiting for its
 * next line holds only its promise and the promise's two resolving functions.
 */
export class DataWaiter {
  #resolve: ((value: unknown) => void) | null = null;
  #reject: ((reason: unknown) => void) | null = null;
  #retry: Retry<never, unknown> | null = null;
  #target: unknown = null;

  /** Whether a read is waiting. */
  get pending(): boolean {
    return this.#resolve !== null;
  }

  /**
   * Waits for `wake()` or `fail()`, or until `signal` aborts (rejecting with its reason).
   *
   * @param signal Aborts this wait only; must not be aborted already.
   * @returns A promise settled by the first of those.
   */
  wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal === undefined) {
        this.#arm(resolve as (value: unknown) => void, reject, null, null);
        return;
      }
      const onAbort = (): void => {
        // Only this read's waiter is dropped: nothing was consumed, the next read may start now.
        if (this.#reject === rejectWait) this.#disarm();
        reject(signal.reason);
      };
      const rejectWait = (reason: unknown): void => {
        signal.removeEventListener("abort", onAbort);
        reject(reason);
      };
      const resolveWait = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      // Listening first: should addEventListener() throw, no wait is left armed to hang the next read.
      signal.addEventListener("abort", onAbort, { once: true });
      this.#arm(resolveWait, rejectWait, null, null);
    });
  }

  /**
   * Waits, then completes the read inside `wake()` itself: `retry(target)` runs there and its result
   * settles the promise, so the caller resumes one turn after the data came rather than two; a
   * `WAIT_AGAIN` keeps waiting, a throw rejects. `retry` is a shared function and `target` what it
   * reads from, so that a wait allocates no closure. No signal: aborts take `wait()`.
   *
   * @param retry Called at each wake-up until it returns something other than `WAIT_AGAIN`.
   * @param target Passed to `retry`.
   * @returns The read's result.
   */
  waitFor<T, R>(retry: Retry<T, R>, target: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#arm(resolve as (value: unknown) => void, reject, retry, target);
    });
  }

  /** Settles the pending wait, if any: resolves it, or runs its retry (see `waitFor()`). */
  wake(): void {
    const resolve = this.#resolve;
    if (resolve === null) return;
    const reject = this.#reject!;
    const retry = this.#retry;
    const target = this.#target;
    // Disarmed before the retry runs: what it calls (a transport's resumeReading()) may feed again.
    this.#disarm();
    if (retry === null) {
      resolve(undefined);
      return;
    }
    let result: unknown;
    try {
      result = retry(target as never);
    } catch (error) {
      reject(error);
      return;
    }
    if (result === WAIT_AGAIN) this.#arm(resolve, reject, retry, target);
    else resolve(result);
  }

  /**
   * Rejects the pending wait, if any.
   *
   * @param error The reason.
   */
  fail(error: unknown): void {
    const reject = this.#reject;
    if (reject !== null) {
      this.#disarm();
      reject(error);
    }
  }

  #arm(
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
    retry: Retry<never, unknown> | null,
    target: unknown,
  ): void {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#retry = retry;
    this.#target = target;
  }

  #disarm(): void {
    this.#resolve = null;
    this.#reject = null;
    this.#retry = null;
    this.#target = null;
  }
}
