/**
 * Refuses option names this package does not know, so that a typo (`alpnProtocol`,
 * `servername`) fails loudly instead of being ignored.
 *
 * @throws {TypeError} When `options` is not an object or has an unknown key.
 */
export function checkOptions(action: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError(`${action}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new TypeError(`${action}: unknown option "${key}" (expected one of ${known.join(", ")})`);
  }
}

/**
 * A duration option in milliseconds: a finite integer >= 0 (0 disables it where that is allowed).
 *
 * @throws {RangeError} When `value` is not a finite integer >= 0.
 */
export function durationOption(action: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${action}: ${name} must be an integer number of milliseconds >= 0, not ${typeof value === "number" ? value : typeof value}`,
    );
  }
  return value;
}
