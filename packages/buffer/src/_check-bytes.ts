/**
 * Argument checks for the buffer's byte arguments: chunks, byte values and separators. As in
 * `_check-number.ts`, each method tests its argument inline first and calls here only when that
 * fails, so the common call pays for no extra function; every check here throws.
 */
import { describeValue } from "./_check-number.js";

/** Throws the error for a chunk that is not a `Uint8Array`. */
export function checkChunk(value: unknown): never {
  throw new TypeError(
    `Cannot append to the buffer: chunk should be a Uint8Array, got ${describeValue(value)} (${typeof value})`,
  );
}

/** Throws the error for a byte value that is not an integer from 0 to 255. */
export function checkByte(value: unknown): never {
  if (typeof value !== "number")
    throw new TypeError(
      `Cannot search the buffer: byte should be a number, got ${describeValue(value)} (${typeof value})`,
    );
  throw new RangeError(
    `Cannot search the buffer: byte should be an integer from 0 to 255, got ${describeValue(value)}`,
  );
}

/** Throws the error for a separator that is not a non-empty `Uint8Array`. */
export function checkSeparator(value: unknown): never {
  if (value instanceof Uint8Array)
    throw new RangeError("Cannot search the buffer: separator is empty; pass at least one byte");
  throw new TypeError(
    `Cannot search the buffer: separator should be a Uint8Array, got ${describeValue(value)} (${typeof value})`,
  );
}
