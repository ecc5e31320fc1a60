/** Resolves after `ms` milliseconds: a real timer, so I/O and the event loop move on meanwhile. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every millisecond or so; rejects naming `what` once `timeout` ms have passed. */
export async function until(condition: () => boolean, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** Polls `condition` for up to `ms` milliseconds; resolves whether it came to hold. */
export async function holdsWithin(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(1);
  }
  return true;
}

/** How a promise settled, readable synchronously; never leaves a rejection unhandled. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  readonly rejected: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
}

/** Records how `promise` settles. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = {
    promise,
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}

/** Settles like `promise`, or rejects naming `what` once `timeout` ms have passed. */
export async function within<T>(promise: Promise<T>, timeout: number, what: string): Promise<T> {
  const tracked = track(promise);
  await until(() => tracked.settled, timeout, what);
  return promise;
}
