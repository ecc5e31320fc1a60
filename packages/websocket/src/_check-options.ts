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

/** The longest delay `setTimeout` honours: past it Node, browsers, Deno and Bun fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/** Throws unless `value` is undefined or a number of milliseconds > 0 that a timer can wait for. */
export function checkDuration(value: unknown, name: string, action: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${action}: ${name} must be a number of milliseconds greater than 0, not ${typeof value === "number" ? value : typeof value}`,
    );
  }
  if (value > MAX_TIMER_MS) {
    // A longer delay would not be "no limit": the timer would fire at once and fail the connection.
    throw new RangeError(
      `${action}: ${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer delay), not ${value}`,
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

/**
 * Throws a TypeError unless `value` is undefined or a function: a hook found broken only when it is
 * first called would fail a connection instead of the call that configured it.
 */
export function checkFunction(value: unknown, name: string, action: string): void {
  if (value === undefined || typeof value === "function") return;
  throw new TypeError(`${action}: ${name} must be a function, not ${value === null ? "null" : typeof value}`);
}

/** What a value is, for a message: `null`, `an array`, or its `typeof`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "number" ? String(value) : typeof value;
}

/** Throws a TypeError unless `value` is undefined or a boolean (`"false"` would read as true). */
export function checkBoolean(value: unknown, name: string, action: string): void {
  if (value === undefined || typeof value === "boolean") return;
  throw new TypeError(`${action}: ${name} must be true or false, not ${describe(value)}`);
}

/** Throws a TypeError unless `value` is undefined or a plain object (not null, not an array). */
export function checkObject(value: unknown, name: string, action: string): void {
  if (value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))) return;
  throw new TypeError(`${action}: ${name} must be an object, not ${describe(value)}`);
}

/**
 * Throws a TypeError unless `value` is undefined or an `AbortSignal` (by shape, so that a signal
 * from another realm or polyfill passes): anything else would never abort, in silence.
 */
export function checkSignal(value: unknown, name: string, action: string): void {
  if (value === undefined) return;
  const signal = (typeof value === "object" ? value : null) as Partial<
    Record<"aborted" | "addEventListener" | "removeEventListener", unknown>
  > | null;
  if (
    signal !== null &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  )
    return;
  throw new TypeError(`${action}: ${name} must be an AbortSignal (AbortController's signal), not ${describe(value)}`);
}

/**
 * Throws unless `value` is undefined or `{ high?, low? }` with byte counts (non-negative integers,
 * or `Infinity`): checked where it is given, not when the first connection's transport is made.
 */
export function checkWriteBufferLimits(value: unknown, action: string): void {
  if (value === undefined) return;
  checkObject(value, "writeBufferLimits", action);
  checkOptions(value, ["high", "low"], `${action}: writeBufferLimits`);
  for (const mark of ["high", "low"] as const) {
    const bytes = (value as Record<string, unknown>)[mark];
    if (bytes === undefined || bytes === Infinity || (Number.isSafeInteger(bytes) && (bytes as number) >= 0)) continue;
    const message = `${action}: writeBufferLimits.${mark} must be a number of bytes (an integer >= 0, or Infinity), not ${describe(bytes)}`;
    throw typeof bytes === "number" ? new RangeError(message) : new TypeError(message);
  }
}
