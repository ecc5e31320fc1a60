import type { TlsTimeouts } from "./tls-timeouts.js";

/** The longest delay `setTimeout()` honours; a longer one fires after 1 ms. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * asyncio's rule: a timeout given must be a positive number (ValueError otherwise), checked up
 * front; here also at most `setTimeout()`'s range, so a long timeout never becomes an instant one.
 */
export function checkTimeouts(action: string, timeouts: TlsTimeouts): void {
  for (const name of ["handshakeTimeout", "shutdownTimeout"] as const) {
    const value: unknown = timeouts[name];
    if (value === undefined || (typeof value === "number" && value > 0 && value <= MAX_TIMER_DELAY)) continue;
    const shown =
      typeof value === "string"
        ? `"${value}" (string)`
        : typeof value === "number"
          ? String(value)
          : `a value of type ${typeof value}`;
    const error = typeof value === "number" ? RangeError : TypeError;
    throw new error(
      `${action}: ${name} should be a positive number of milliseconds up to ${MAX_TIMER_DELAY}, got ${shown}`,
    );
  }
}
