/**
 * Validates `readUntil()`'s separator argument and returns the separators sorted by length, as
 * asyncio does (a stable sort: equal lengths keep their order, so on a tie the first listed wins).
 *
 * Only an array means "several separators"; a `Uint8Array` is always one separator (gh-117722).
 */
export function toSeparators(separator: Uint8Array | readonly Uint8Array[]): readonly Uint8Array[] {
  let separators: Uint8Array[];
  if (separator instanceof Uint8Array) {
    separators = [separator];
  } else if (Array.isArray(separator)) {
    separators = [...(separator as readonly unknown[])].map(toSeparator).sort((a, b) => a.length - b.length);
  } else {
    throw new TypeError("Cannot read until a separator: it must be a Uint8Array or an array of them");
  }
  if (separators.length === 0) {
    throw new RangeError("Cannot read until a separator: Separator should contain at least one element");
  }
  if (separators[0]!.length === 0) {
    throw new RangeError("Cannot read until a separator: Separator should be at least one-byte string");
  }
  return separators;
}

function toSeparator(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError("Cannot read until a separator: each separator must be a Uint8Array");
}
