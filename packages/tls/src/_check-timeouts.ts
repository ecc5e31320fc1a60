import type { TlsTimeouts } from "./tls-timeouts.js";

/** asyncio's rule: a timeout given must be a positive number (ValueError otherwise), checked up front. */
export function checkTimeouts(action: string, timeouts: TlsTimeouts): void {
  for (const name of ["handshakeTimeout", "shutdownTimeout"] as const) {
    const value = timeouts[name];
    if (value !== undefined && (typeof value !== "number" || !(value > 0))) {
      throw new RangeError(`${action}: ${name} should be a positive number, got ${String(value)}`);
    }
  }
}
