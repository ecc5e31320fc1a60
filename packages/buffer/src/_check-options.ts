import type { ByteBufferOptions } from "./byte-buffer-options.js";
import type { ByteSearch } from "./byte-search.js";
import { portableByteSearch } from "./portable-byte-search.js";
import { describeValue } from "./_check-number.js";

/**
 * Checks `ByteBuffer`'s options. The search function is checked here rather than at the first
 * search, which would fail far from where it was given.
 *
 * @returns The search primitive to use.
 * @throws {TypeError} When `options` is not an object, names an unknown option, or `search` is not
 *   a function.
 */
export function checkBufferOptions(options: ByteBufferOptions): ByteSearch {
  if (typeof options !== "object" || options === null)
    throw new TypeError(`Cannot create a ByteBuffer: options should be an object, got ${describeValue(options)}`);
  for (const name of Object.keys(options)) {
    if (name !== "search")
      throw new TypeError(`Cannot create a ByteBuffer: unknown option "${name}"; the only option is search`);
  }
  const search: unknown = options.search ?? portableByteSearch;
  if (typeof search !== "function")
    throw new TypeError(
      `Cannot create a ByteBuffer: search should be a ByteSearch function, got ${describeValue(search)}`,
    );
  return search as ByteSearch;
}
