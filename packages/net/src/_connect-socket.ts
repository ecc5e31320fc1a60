import { connect } from "node:net";
import type { NetConnectOpts, Socket } from "node:net";
import { toSocketError } from "./_socket-error-from.js";

/**
 * Connects a half-open-capable socket and resolves once it is connected. An abort destroys the
 * socket (no descriptor leaks) and rejects with `signal.reason`; a failure rejects with a
 * `SocketError` that keeps the system code.
 */
export function connectSocket(options: NetConnectOpts, signal: AbortSignal | undefined, target: string): Promise<Socket> {
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
      reject(toSocketError(error, `Cannot connect to ${target}`));
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
