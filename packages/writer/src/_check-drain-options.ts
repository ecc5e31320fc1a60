import { checkOptions } from "./_check-options.js";

const DRAIN_OPTIONS = ["signal"] as const;

/**
 * Checks `drain()`'s options: a misspelled `signal` would be ignored and the drain would never
 * abort; a signal that is not one would fail after the wait was registered.
 *
 * @returns The signal, if any.
 * @throws {TypeError} When `options` is not an object, names an option other than `signal`, or
 *   `signal` is not an `AbortSignal`.
 */
export function checkDrainOptions(options: { signal?: AbortSignal | undefined } | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  checkOptions("Cannot drain", options, DRAIN_OPTIONS);
  return options.signal;
}
