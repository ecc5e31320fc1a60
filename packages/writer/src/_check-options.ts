/**
 * Checks an options object at a public boundary: a misspelled name (`{ singal }`, `{ idel }`) would
 * otherwise be ignored in silence, and a signal that is not one would never abort. The signal is
 * duck-typed, so one from another realm or a polyfill passes.
 *
 * @param action What failed, such as `"Cannot drain"`.
 * @param options As the caller passed them.
 * @param names The known option names.
 * @throws {TypeError} When `options` is not an object, names an unknown option, or `signal` is not
 *   an `AbortSignal`.
 */
export function checkOptions(action: string, options: unknown, names: readonly string[]): void {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`${action}: options should be an object, got ${describe(options)}`);
  for (const name of Object.keys(options)) {
    if (!names.includes(name)) {
      const known =
        names.length === 1
          ? `the only option is ${names[0]}`
          : `the options are ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
      throw new TypeError(`${action}: unknown option "${name}"; ${known}`);
    }
  }
  const signal: unknown = (options as { signal?: unknown }).signal;
  const listens = typeof (signal as Partial<AbortSignal> | null)?.addEventListener === "function";
  if (signal !== undefined && !(listens && typeof (signal as AbortSignal).aborted === "boolean"))
    throw new TypeError(`${action}: signal should be an AbortSignal or undefined, got ${describe(signal)}`);
}

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    default:
      return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  }
}
