/**
 * Throws a TypeError naming the first option `options` has that is not in `known`: a misspelt
 * option would otherwise be ignored in silence.
 */
export function checkOptions(options: unknown, known: readonly string[], action: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError(`${action}: options must be an object`);
  for (const name of Object.keys(options)) {
    if (!known.includes(name))
      throw new TypeError(`${action}: unknown option "${name}"; expected one of ${known.join(", ")}`);
  }
}

/** Throws unless `value` is undefined or a number of milliseconds > 0 (finite). */
export function checkDuration(value: unknown, name: string, action: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${action}: ${name} must be a number of milliseconds greater than 0, not ${typeof value === "number" ? value : typeof value}`,
    );
  }
}

/** Throws unless `value` is undefined or an integer > 0. */
export function checkPositiveInteger(value: unknown, name: string, action: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `${action}: ${name} must be an integer greater than 0, not ${typeof value === "number" ? value : typeof value}`,
    );
  }
}
