import type { EventEmitter } from "node:events";

/**
 * Starts something that ends in one event (a socket's `'connect'`, a server's `'listening'`) and
 * waits for that event, abortably: the common part of connecting and listening.
 *
 * An already aborted `signal` rejects with its reason before `start` runs, so nothing is opened.
 * Otherwise the promise resolves with the emitter on `event`, rejects with `toError(error)` on its
 * first `'error'` (or with what `start` threw), and on an abort calls `stop()` and rejects with
 * `signal.reason`. Whichever comes first removes all three listeners, so that a later `'error'` is
 * left to the emitter's next owner instead of being swallowed here.
 *
 * @param signal Aborts the wait (and, through `stop`, what was started).
 * @param start Makes or starts the emitter; runs once, after the `signal` check.
 * @param event The event that means success.
 * @param toError The rejection for an `'error'` event; it may also release what was started.
 * @param stop Releases what was started, on an abort.
 * @returns The emitter, once `event` came.
 */
export function startAndWait<E extends EventEmitter>(
  signal: AbortSignal | undefined,
  start: () => E,
  event: string,
  toError: (error: Error, emitter: E) => unknown,
  stop: (emitter: E) => void,
): Promise<E> {
  return new Promise<E>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const emitter = start();
    const cleanUp = (): void => {
      emitter.off(event, onEvent);
      emitter.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onEvent = (): void => {
      cleanUp();
      resolve(emitter);
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(toError(error, emitter));
    };
    const onAbort = (): void => {
      cleanUp();
      stop(emitter);
      reject(signal!.reason);
    };
    emitter.once(event, onEvent);
    emitter.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
