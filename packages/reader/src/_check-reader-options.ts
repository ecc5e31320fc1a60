import { DEFAULT_LIMIT } from "./default-limit.js";
import type { OverflowPolicy } from "./overflow-policy.js";
import type { StreamReaderOptions } from "./stream-reader-options.js";
import { describeValue, numberError } from "./_check-number.js";

const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ["error", "skip", "chunk"];

const KNOWN_OPTIONS = new Set(["limit", "overflow", "search"]);

/**
 * Validates a `StreamReader`'s options and fills in the defaults.
 *
 * @param options As given to the constructor.
 * @returns The limit and the overflow policy.
 * @throws {RangeError} When `limit` is not a positive integer or `Infinity` (a fractional limit
 *   would split lines at fractional offsets and lose bytes), or `overflow` is not a policy.
 * @throws {TypeError} When `limit` is not a number, `search` is not a function, or an option name
 *   is unknown.
 */
export function checkReaderOptions(options: StreamReaderOptions): { limit: number; overflow: OverflowPolicy } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot create a StreamReader: options should be an object, got ${describeValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name))
      throw new TypeError(
        `Cannot create a StreamReader: unknown option "${name}"; the options are limit, overflow and search`,
      );
  }
  const limit = options.limit === undefined ? DEFAULT_LIMIT : options.limit; // null is a wrong type, not "unset"
  if (typeof limit === "number" && limit <= 0)
    throw new RangeError(`Cannot create a StreamReader: Limit cannot be <= 0, got ${describeValue(limit)}`);
  if (!((Number.isSafeInteger(limit) && limit > 0) || limit === Infinity)) {
    throw numberError("Cannot create a StreamReader", "limit", limit, "a positive integer or Infinity");
  }
  const overflow = options.overflow ?? "error";
  const badOverflow = overflowError("Cannot create a StreamReader", overflow);
  if (badOverflow !== undefined) throw badOverflow;
  // Checked here rather than at the first search, far from where it was given.
  if (options.search !== undefined && typeof options.search !== "function") {
    throw new TypeError(
      `Cannot create a StreamReader: search should be a ByteSearch function or undefined, got ${describeValue(options.search)}`,
    );
  }
  return { limit, overflow };
}

/**
 * Checks an overflow policy name (a misspelled one would otherwise act as one of the others).
 *
 * @returns The error to throw when it is not `"error"`, `"skip"` or `"chunk"`; else `undefined`.
 */
export function overflowError(action: string, overflow: unknown): RangeError | undefined {
  if (OVERFLOW_POLICIES.includes(overflow as OverflowPolicy)) return undefined;
  return new RangeError(`${action}: overflow should be "error", "skip" or "chunk", got ${describeValue(overflow)}`);
}
