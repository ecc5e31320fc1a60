import { connect } from "node:net";
import type { NetConnectOpts, Socket } from "node:net";
import { toSocketError } from "./_socket-error-from.js";
import { startAndWait } from "./_start-and-wait.js";

/**
 * Connects a half-open-capable socket and resolves once it is connected. An abort destroys the
 * socket (no descriptor leaks) and rejects with `signal.reason`; a failure rejects with a
 * `SocketError` that keeps the system code; with `allErrors`, an `AggregateError` of one
 * `SocketError` per address tried (asyncio's `all_errors=True`).
 */
export function connectSocket(
  options: NetConnectOpts,
  signal: AbortSignal | undefined,
  target: string,
  allErrors = false,
): Promise<Socket> {
  return startAndWait(
    signal,
    () => connect({ ...options, allowHalfOpen: true }),
    "connect",
    (error, socket) => {
      socket.destroy();
      return connectError(error, `Cannot connect to ${target}`, allErrors);
    },
    (socket) => socket.destroy(),
  );
}

/** A failed connect as a `SocketError`, or with `allErrors` an `AggregateError` of one per attempt. */
function connectError(error: Error, action: string, allErrors: boolean): unknown {
  if (!allErrors) return toSocketError(error, action);
  // Node reports several failed attempts (Happy Eyeballs) as one AggregateError of them.
  const attempts: unknown[] = error instanceof AggregateError ? error.errors : [error];
  const each = attempts.map((attempt) => toSocketError(attempt, action));
  return new AggregateError(
    each,
    `${action}: ${each.length === 1 ? "the one attempt" : `all ${each.length} attempts`} failed`,
  );
}
