import { overflowError } from "./_check-reader-options.js";
import { describeValue } from "./_check-number.js";
import { isAbortSignal } from "./_is-abort-signal.js";

/**
 * Checks a read's options before the read touches anything: a misspelled name (`{ singal }`) or a
 * signal that is not one would otherwise be ignored, and a read meant to be abortable would wait
 * forever (or arm its wait and then fail to listen). Called only when options were given, so a
 * plain `readLine()` pays nothing.
 *
 * @param action What failed, such as `"Cannot read a line"`.
 * @param options As passed to the read.
 * @returns The error to throw: a `TypeError` when `options` is not an object, names an unknown
 *   option, or `signal` is not an `AbortSignal`; a `RangeError` when `overflow` is not a policy
 *   name. `undefined` when the options are fine.
 */
export function readOptionsError(action: string, options: unknown): TypeError | RangeError | undefined {
  if (typeof options !== "object" || options === null)
    return new TypeError(`${action}: options should be an object, got ${describeValue(options)}`);
  for (const name of Object.keys(options)) {
    if (name !== "signal" && name !== "overflow")
      return new TypeError(`${action}: unknown option "${name}"; the options are signal and overflow`);
  }
  const { signal, overflow } = options as { signal?: unknown; overflow?: unknown };
  if (signal !== undefined && !isAbortSignal(signal))
    return new TypeError(`${action}: signal should be an AbortSignal or undefined, got ${describeValue(signal)}`);
  return overflow === undefined ? undefined : overflowError(action, overflow);
}
