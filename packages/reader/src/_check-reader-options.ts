import { DEFAULT_LIMIT } from "./default-limit.js";
import type { OverflowPolicy } from "./overflow-policy.js";
import type { StreamReaderOptions } from "./stream-reader-options.js";

const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ["error", "skip", "chunk"];

/**
 * Validates a `StreamReader`'s options and fills in the defaults.
 *
 * @param options As given to the constructor.
 * @returns The limit and the overflow policy.
 * @throws {RangeError} When `limit` is not greater than 0, or `overflow` is not a policy.
 */
export function checkReaderOptions(options: StreamReaderOptions): { limit: number; overflow: OverflowPolicy } {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== "number" || !(limit > 0)) {
    throw new RangeError(`Cannot create a StreamReader: Limit cannot be <= 0 (got ${String(limit)})`);
  }
  const overflow = options.overflow ?? "error";
  if (!OVERFLOW_POLICIES.includes(overflow)) {
    throw new RangeError(`Cannot create a StreamReader: overflow must be "error", "skip" or "chunk" (got ${String(overflow)})`);
  }
  return { limit, overflow };
}
