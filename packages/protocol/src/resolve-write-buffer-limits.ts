import { DEFAULT_WRITE_BUFFER_HIGH } from "./default-write-buffer-high.js";
import type { WriteBufferLimits } from "./transport.js";
import { checkOptionNames } from "./_check-option-names.js";

const ACTION = "Cannot set write buffer limits";

/**
 * Applies asyncio's rules for `set_write_buffer_limits()`: `high` defaults to 64 KiB (or 4 × `low`
 * when only `low` is given), `low` to `high / 4`, and `high >= low >= 0` must hold.
 * `TransportBase` calls it; a transport that implements `Transport` itself can too.
 *
 * @param limits The marks asked for; either may be left out.
 * @returns Both marks.
 * @throws {RangeError} Unless `high >= low >= 0`, with asyncio's message, or when a mark is not an
 *   integer (a byte count) or `Infinity`.
 * @throws {TypeError} When a mark is not a number (asyncio compares whatever it is given: `"10"`
 *   against a number is Python's `TypeError` too), or an option name is unknown.
 *
 * @example
 * ```ts
 * import { resolveWriteBufferLimits } from "@asyncstreams/protocol";
 *
 * console.log(resolveWriteBufferLimits({ high: 1024 })); // { high: 1024, low: 256 }
 * console.log(resolveWriteBufferLimits()); // { high: 65536, low: 16384 }
 * ```
 */
export function resolveWriteBufferLimits(limits: Partial<WriteBufferLimits> = {}): WriteBufferLimits {
  checkOptionNames(ACTION, limits, ["high", "low"]);
  checkMark("high", limits.high);
  checkMark("low", limits.low);
  const high = limits.high ?? (limits.low === undefined ? DEFAULT_WRITE_BUFFER_HIGH : 4 * limits.low);
  const low = limits.low ?? Math.floor(high / 4);
  if (!(high >= low && low >= 0)) {
    throw new RangeError(`${ACTION}: high (${high}) must be >= low (${low}) must be >= 0`);
  }
  return { high, low };
}

/** A mark is a byte count: a string compared as a string would pause at the wrong size. */
function checkMark(name: string, value: unknown): void {
  if (value === undefined || Number.isSafeInteger(value) || value === Infinity) return;
  if (typeof value !== "number") {
    const got = typeof value === "string" ? `${JSON.stringify(value)} (string)` : `a ${typeof value}`;
    throw new TypeError(`${ACTION}: ${name} should be a number of bytes, got ${got}`);
  }
  // Negative integers are left to asyncio's high >= low >= 0 message.
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${ACTION}: ${name} should be a non-negative integer or Infinity, got ${String(value)}`);
}
