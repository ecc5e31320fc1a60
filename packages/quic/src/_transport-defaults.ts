import { durationOption } from "./_check-options.js";
import type { StackTransportOptions } from "./_stack.js";

/** The transport settings both sides share, checked, with this package's defaults. */
export function transportDefaults(
  action: string,
  options: {
    idleTimeout?: number | undefined;
    keepAliveInterval?: number | undefined;
    maxStreams?: number | undefined;
  },
  alpnProtocols: readonly string[],
): StackTransportOptions {
  const maxStreams = options.maxStreams ?? 100;
  if (!Number.isInteger(maxStreams) || maxStreams < 1 || maxStreams > 1_000_000) {
    throw new RangeError(`${action}: maxStreams must be an integer from 1 to 1000000, not ${String(maxStreams)}`);
  }
  return {
    alpnProtocols,
    idleTimeout: durationOption(action, "idleTimeout", options.idleTimeout, 30_000),
    // Below the common 30 s idle timeouts (quinn, ngtcp2): the lower of both sides' applies.
    keepAliveInterval: durationOption(action, "keepAliveInterval", options.keepAliveInterval, 10_000),
    maxStreams,
  };
}
