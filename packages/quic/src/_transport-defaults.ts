import { durationOption } from "./_check-options.js";
import type { StackTransportOptions } from "./_stack.js";

/** Below the common 30 s idle timeouts (quinn, ngtcp2): the lower of both sides' applies. */
const KEEP_ALIVE = 10_000;

/**
 * The transport settings both sides share, checked, with this package's defaults.
 *
 * @throws {RangeError} On a bad number, or a `keepAliveInterval` not below `idleTimeout` (both > 0).
 */
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
  const idleTimeout = durationOption(action, "idleTimeout", options.idleTimeout, 30_000);
  // A PING must go out before the idle timer fires, and matrixai refuses (out of an event handler,
  // on the server: the process dies) a connection whose keep-alive is not below its idle timeout.
  // So the default follows a short idleTimeout down, and a user's keepAliveInterval must be below it.
  const keepAliveInterval = durationOption(
    action,
    "keepAliveInterval",
    options.keepAliveInterval,
    idleTimeout === 0 ? KEEP_ALIVE : Math.min(KEEP_ALIVE, Math.floor(idleTimeout / 2)),
  );
  if (idleTimeout > 0 && keepAliveInterval >= idleTimeout) {
    throw new RangeError(
      `${action}: keepAliveInterval must be below idleTimeout (${idleTimeout} ms), or 0, not ${keepAliveInterval}`,
    );
  }
  return { alpnProtocols, idleTimeout, keepAliveInterval, maxStreams };
}
