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

/** The longest delay `setTimeout()` takes (2^31 - 1 ms, about 24.8 days): past it, it fires at once. */
const MAX_DURATION = 2_147_483_647;

/**
 * A duration option in milliseconds: an integer from 0 to 2^31 - 1 (0 disables it where that is
 * allowed). The upper bound is `setTimeout()`'s: a longer `handshakeTimeout` would fire at once.
 *
 * @throws {RangeError} When `value` is not such an integer; the message names the option.
 */
export function durationOption(action: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_DURATION) {
    throw new RangeError(
      `${action}: ${name} must be an integer number of milliseconds from 0 to ${MAX_DURATION}, not ${typeof value === "number" ? value : typeof value}`,
    );
  }
  return value;
}
