import type { ByteSearch } from "./byte-search.js";

/**
 * The default {@linkcode ByteSearch}: `Uint8Array.prototype.indexOf` for one byte; for a sequence,
 * each occurrence of its first byte compared in place. Works on every runtime.
 *
 * @param haystack Where to search.
 * @param needle One byte value, or a non-empty byte sequence.
 * @param fromIndex The position to start at (not negative).
 * @returns The position of the first match, or -1.
 *
 * @example
 * ```ts
 * import { portableByteSearch } from "@asyncstreams/buffer";
 *
 * console.log(portableByteSearch(new TextEncoder().encode("a\r\nb\r\n"), new TextEncoder().encode("\r\n"), 2)); // 4
 * ```
 */
export const portableByteSearch: ByteSearch = (haystack, needle, fromIndex) => {
  if (typeof needle === "number") return haystack.indexOf(needle, fromIndex);
  const size = needle.length;
  const first = needle[0];
  const last = haystack.length - size;
  for (
    let found = haystack.indexOf(first!, fromIndex);
    found !== -1 && found <= last;
    found = haystack.indexOf(first!, found + 1)
  ) {
    let i = 1;
    while (i < size && haystack[found + i] === needle[i]) i++;
    if (i === size) return found;
  }
  return -1;
};
