/** One pending wait: resolved by new data or EOF, rejected by an error or its own abort. */
interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

/**
 * The wake-up of a `StreamReader`'s one pending read (asyncio's `_waiter` future): new data or EOF
 * resolves it, a stored exception rejects it, and an abort drops only this wait, so that the next
 * read may start at once. The reader checks "one read at a time" before calling `wait()`.
 */
export class DataWaiter {
  #waiter: Waiter | null = null;

  /** Whether a read is waiting. */
  get pending(): boolean {
    return this.#waiter !== null;
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
        this.#waiter = { resolve, reject };
        return;
      }
      const onAbort = (): void => {
        // Only this read's waiter is dropped: nothing was consumed, the next read may start now.
        if (this.#waiter === waiter) this.#waiter = null;
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        reject: (reason) => {
          signal.removeEventListener("abort", onAbort);
          reject(reason);
        },
      };
      this.#waiter = waiter;
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Resolves the pending wait, if any. */
  wake(): void {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.resolve();
    }
  }

  /**
   * Rejects the pending wait, if any.
   *
   * @param error The reason.
   */
  fail(error: unknown): void {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.reject(error);
    }
  }
}
