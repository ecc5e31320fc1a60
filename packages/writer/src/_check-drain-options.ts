/**
 * Checks `drain()`'s options: a misspelled `signal` would be ignored and the drain would never
 * abort; a signal that is not one would fail after the wait was registered.
 *
 * @returns The signal, if any.
 * @throws {TypeError} When `options` is not an object, names an option other than `signal`, or
 *   `signal` is not an `AbortSignal`.
 */
export function checkDrainOptions(options: { signal?: AbortSignal | undefined } | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null)
    throw new TypeError(`Cannot drain: options should be an object, got ${String(options)}`);
  for (const name of Object.keys(options)) {
    if (name !== "signal") throw new TypeError(`Cannot drain: unknown option "${name}"; the only option is signal`);
  }
  const signal: unknown = options.signal;
  // Duck-typed: a signal from another realm or a polyfill works as well.
  const listens = typeof (signal as Partial<AbortSignal> | null)?.addEventListener === "function";
  if (signal !== undefined && !(listens && typeof (signal as AbortSignal).aborted === "boolean"))
    throw new TypeError(
      `Cannot drain: signal should be an AbortSignal or undefined, got ${typeof signal === "string" ? JSON.stringify(signal) : signal === null ? "null" : typeof signal}`,
    );
  return signal as AbortSignal | undefined;
}
