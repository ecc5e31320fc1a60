/** Formats an error like Python's `repr()` of an exception: `Name("message")` or `Name()`. */
export function formatError(error: unknown): string {
  if (error instanceof Error) return error.message === "" ? `${error.name}()` : `${error.name}(${JSON.stringify(error.message)})`;
  return formatObject(error);
}

/** Formats any value for a `toString()` description: its own `toString()` if it has one. */
export function formatObject(value: unknown): string {
  return String(value);
}
