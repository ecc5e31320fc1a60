/**
 * Argument checks for the buffer's public methods. Each method tests its number inline first
 * (`Number.isSafeInteger(n) && n >= 0`, which costs nothing measurable) and calls here only when
 * that fails, so the common call pays for no extra function.
 */

/** How a received value reads in a message: strings quoted, so `"5"` is not mistaken for `5`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  return String(value);
}

/**
 * Throws the error for a count or position that is not a non-negative safe integer: a `TypeError`
 * for a non-number, a `RangeError` otherwise. Returns normally only for `Infinity` when `infinity`
 * allows it ("no limit" or "everything").
 *
 * @param action What failed, such as `"Cannot take bytes"`.
 * @param name The parameter's name, as documented.
 * @param value What the caller passed.
 * @param infinity Whether `Infinity` is accepted.
 */
export function checkCount(action: string, name: string, value: unknown, infinity: boolean): void {
  if (typeof value !== "number") {
    throw new TypeError(`${action}: ${name} should be a number, got ${describeValue(value)} (${typeof value})`);
  }
  if (infinity && value === Infinity) return;
  const wanted = infinity ? "a non-negative integer or Infinity" : "a non-negative integer";
  throw new RangeError(`${action}: ${name} should be ${wanted}, got ${describeValue(value)}`);
}
