/**
 * Whether `value` works as an `AbortSignal` here: only `aborted`, `reason` and the abort listener
 * are used, so a signal from another realm or a polyfill passes too.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== "object" || value === null) return false;
  const signal = value as Partial<AbortSignal>;
  return (
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  );
}
