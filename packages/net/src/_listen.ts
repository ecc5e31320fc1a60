import type { Server as NetServer } from "node:net";
import { toSocketError } from "./_socket-error-from.js";
import { startAndWait } from "./_start-and-wait.js";
import type { ListenTarget } from "./_listen-targets.js";

/**
 * `listener.listen(options)` as a promise of the listener: a bind failure rejects with a
 * `SocketError`, an abort closes the listener and rejects with `signal.reason`.
 */
export function listen(listener: NetServer, options: ListenTarget, signal?: AbortSignal): Promise<NetServer> {
  if ("server" in options) return signal?.aborted === true ? Promise.reject(signal.reason) : Promise.resolve(listener);
  const where = !("host" in options || "path" in options || "port" in options)
    ? "the adopted socket"
    : (options.path ?? `${options.host ?? "*"}:${options.port ?? 0}`);
  return startAndWait(
    signal,
    () => {
      if ("handle" in options) return listener.listen(options.handle, options.backlog);
      const { reusePort, ...rest } = options;
      // reusePort needs Node 22.12+/23.1+ (startServer() refuses it before); older versions ignore it.
      return listener.listen(reusePort === undefined ? rest : { ...rest, reusePort });
    },
    "listening",
    (error) => toSocketError(error, `Cannot listen on ${where}`),
    () => listener.close(),
  );
}
