/** How a received value reads in a message: strings quoted, so `"5"` is not mistaken for `5`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}

/**
 * The error for a number argument that is not what `wanted` says: a `TypeError` naming the type
 * for a non-number (so `"5"` is never called "not an integer"), a `RangeError` otherwise. Callers
 * test the common case inline and build this only on failure.
 *
 * @param action What failed, such as `"Cannot read exactly"`.
 * @param name The parameter's name, as documented.
 * @param value What the caller passed.
 * @param wanted What is accepted, such as `"a non-negative integer"`.
 */
export function numberError(action: string, name: string, value: unknown, wanted: string): TypeError | RangeError {
  if (typeof value !== "number")
    return new TypeError(`${action}: ${name} should be a number, got ${describeValue(value)} (${typeof value})`);
  return new RangeError(`${action}: ${name} should be ${wanted}, got ${describeValue(value)}`);
}

/**
 * The largest delay `setTimeout()` honours: longer ones fire after 1 ms on Node and browsers,
 * which would turn a long deadline into an immediate one.
 */
export const MAX_TIMER_DELAY: number = 2 ** 31 - 1;

/**
 * Checks a timeout in milliseconds: a positive number up to about 24.8 days, or `Infinity` for
 * none. Fractions are fine (timers round them).
 *
 * @returns The error to throw, or `undefined` when `value` is acceptable.
 */
export function timeoutError(action: string, name: string, value: unknown): TypeError | RangeError | undefined {
  if (typeof value === "number" && value > 0 && (value <= MAX_TIMER_DELAY || value === Infinity)) return undefined;
  return numberError(
    action,
    name,
    value,
    `a positive number of milliseconds up to ${MAX_TIMER_DELAY}, or Infinity for none`,
  );
}
