import type { Server as NetServer } from "node:net";
import { toSocketError } from "./_socket-error-from.js";
import type { ListenTarget } from "./_listen-targets.js";

/** `listener.listen(options)` as a promise: a bind failure rejects with a `SocketError`. */
export function listen(listener: NetServer, options: ListenTarget, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const cleanUp = (): void => {
      listener.off("listening", onListening);
      listener.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onListening = (): void => {
      cleanUp();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanUp();
      const where = !("host" in options || "path" in options || "port" in options)
        ? "the adopted socket"
        : (options.path ?? `${options.host ?? "*"}:${options.port ?? 0}`);
      reject(toSocketError(error, `Cannot listen on ${where}`));
    };
    const onAbort = (): void => {
      cleanUp();
      listener.close();
      reject(signal!.reason);
    };
    listener.once("listening", onListening);
    listener.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    if ("server" in options) {
      resolve();
      return;
    }
    if ("handle" in options) {
      listener.listen(options.handle, options.backlog);
      return;
    }
    const { reusePort, ...rest } = options;
    // reusePort needs Node 22.12+/23.1+ (startServer() refuses it before); older versions ignore it.
    listener.listen(reusePort === undefined ? rest : { ...rest, reusePort });
  });
}
