import { overflowError } from "./_check-reader-options.js";
import { optionsError } from "./_options-error.js";

const READ_OPTIONS = ["signal", "overflow"] as const;

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
  const error = optionsError(action, options, READ_OPTIONS);
  if (error !== undefined) return error;
  const { overflow } = options as { overflow?: unknown };
  return overflow === undefined ? undefined : overflowError(action, overflow);
}
