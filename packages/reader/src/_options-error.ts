import { describeValue } from "./_check-number.js";
import { isAbortSignal } from "./_is-abort-signal.js";

/**
 * An options object's common faults at a public boundary: not an object, an unknown name (a
 * misspelled `signal` or `idle` would be ignored in silence), or a `signal` that is not one (it
 * would never abort).
 *
 * @param action What failed, such as `"Cannot read a line"`.
 * @param options As the caller passed them.
 * @param names The known option names, in the order the message lists them.
 * @returns The `TypeError` to throw, or `undefined` when none of these faults is there.
 */
export function optionsError(action: string, options: unknown, names: readonly string[]): TypeError | undefined {
  if (typeof options !== "object" || options === null)
    return new TypeError(`${action}: options should be an object, got ${describeValue(options)}`);
  for (const name of Object.keys(options)) {
    if (!names.includes(name)) {
      const listed = `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
      return new TypeError(`${action}: unknown option "${name}"; the options are ${listed}`);
    }
  }
  const signal: unknown = (options as { signal?: unknown }).signal;
  if (signal !== undefined && !isAbortSignal(signal))
    return new TypeError(`${action}: signal should be an AbortSignal or undefined, got ${describeValue(signal)}`);
  return undefined;
}
