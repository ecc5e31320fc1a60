import { MAX_TIMER_DELAY } from "./_max-timer-delay.js";
import { numberError } from "./_number-error.js";

/** Switches: a string such as "no" would read as true, and `1` hides a typo for something else. */
const BOOLEANS = [
  "startServing",
  "noDelay",
  "keepAlive",
  "reusePort",
  "ipv6Only",
  "happyEyeballs",
  "allErrors",
  "cleanupSocket",
] as const;

/** Counts and ports: integers in a range, as asyncio's are (a `1.5` backlog is its TypeError). */
const INTEGERS: Readonly<Record<string, { min: number; max: number; wanted: string }>> = {
  backlog: { min: 0, max: 2 ** 31 - 1, wanted: "a non-negative integer" },
  localPort: { min: 0, max: 65_535, wanted: "an integer from 0 to 65535" },
  keepAliveInitialDelay: {
    min: 0,
    max: MAX_TIMER_DELAY,
    wanted: `a non-negative integer number of milliseconds up to ${MAX_TIMER_DELAY}`,
  },
};

/**
 * Checks the values of the options every connector and server shares (their names are checked by
 * `checkOptions()`): Node would take most of these without a word and do something else (a
 * `backlog` of -5, a `noDelay` of "no", a `family` of 5), or fail later in its own words.
 *
 * @throws {TypeError} For a value of the wrong type.
 * @throws {RangeError} For a number out of range, or a `family` other than 0, 4 and 6.
 */
export function checkOptionValues(action: string, options: Readonly<Record<string, unknown>>): void {
  for (const name of BOOLEANS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean")
      throw new TypeError(`${action}: ${name} should be true or false, got ${describe(value)}`);
  }
  for (const [name, { min, max, wanted }] of Object.entries(INTEGERS)) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max))
      throw numberError(action, name, value, wanted);
  }
  const { family, onError } = options;
  if (family !== undefined && family !== 0 && family !== 4 && family !== 6)
    throw numberError(action, "family", family, "0, 4 or 6");
  if (onError !== undefined && typeof onError !== "function")
    throw new TypeError(`${action}: onError should be a function, got ${describe(onError)}`);
}

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "boolean":
    case "bigint":
      return `${value} (${typeof value})`;
    default:
      return value === null ? "null" : `a ${typeof value}`;
  }
}
