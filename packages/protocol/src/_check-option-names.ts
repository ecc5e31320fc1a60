/**
 * Checks that `options` is an object naming only `known` options: a misspelled name (`{ limt: 16 }`)
 * would otherwise be ignored without a word, and the default used instead.
 *
 * @param action What failed, such as `"Cannot create streams"`.
 * @param options As the caller passed them.
 * @param known Every accepted name.
 * @throws {TypeError} When `options` is not an object, or names an option not in `known`.
 */
export function checkOptionNames(action: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== "object" || options === null)
    throw new TypeError(`${action}: options should be an object, got ${String(options)}`);
  for (const name of Object.keys(options)) {
    if (!known.includes(name))
      throw new TypeError(`${action}: unknown option "${name}"; the options are ${known.join(", ")}`);
  }
}
