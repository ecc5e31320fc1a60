/**
 * The error for a number option that is not what `wanted` says, in the grammar every package uses
 * (`<action>: <name> should be <wanted>, got <value>`): a `TypeError` naming the type for a
 * non-number, with strings quoted, so that `fd: "3"` is never reported as "got 3"; a `RangeError`
 * otherwise. The reader and buffer packages word theirs the same way.
 *
 * @param action What failed, such as `"Cannot start a server"`.
 * @param name The option's name, as documented.
 * @param value What the caller passed.
 * @param wanted What is accepted, such as `"a non-negative integer"`.
 * @param hint Advice appended after a semicolon, if any.
 */
export function numberError(
  action: string,
  name: string,
  value: unknown,
  wanted: string,
  hint?: string,
): TypeError | RangeError {
  const tail = hint === undefined ? "" : `; ${hint}`;
  if (typeof value !== "number") {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    const type = value === null ? "null" : typeof value;
    return new TypeError(`${action}: ${name} should be a number, got ${shown} (${type})${tail}`);
  }
  return new RangeError(`${action}: ${name} should be ${wanted}, got ${String(value)}${tail}`);
}
