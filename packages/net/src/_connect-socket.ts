import { connect } from "node:net";
import type { NetConnectOpts, Socket } from "node:net";
import { toSocketError } from "./_socket-error-from.js";

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
  return new Promise<Socket>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ ...options, allowHalfOpen: true });
    const cleanUp = (): void => {
      socket.off("connect", onConnect);
      socket.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onConnect = (): void => {
      cleanUp();
      resolve(socket);
    };
    const onError = (error: Error): void => {
      cleanUp();
      socket.destroy();
      const action = `Cannot connect to ${target}`;
      if (!allErrors) {
        reject(toSocketError(error, action));
        return;
      }
      // Node reports several failed attempts (Happy Eyeballs) as one AggregateError of them.
      const attempts: unknown[] = error instanceof AggregateError ? error.errors : [error];
      const each = attempts.map((attempt) => toSocketError(attempt, action));
      reject(
        new AggregateError(
          each,
          `${action}: ${each.length === 1 ? "the one attempt" : `all ${each.length} attempts`} failed`,
        ),
      );
    };
    const onAbort = (): void => {
      cleanUp();
      socket.destroy();
      reject(signal!.reason);
    };
    socket.once("connect", onConnect);
    socket.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
