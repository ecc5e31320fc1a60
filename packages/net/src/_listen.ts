import type { ListenOptions, Server as NetServer } from "node:net";
import { toSocketError } from "./_socket-error-from.js";

/** `listener.listen(options)` as a promise: a bind failure rejects with a `SocketError`. */
export function listen(listener: NetServer, options: ListenOptions & { reusePort?: boolean | undefined }, signal?: AbortSignal): Promise<void> {
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
      const where = options.path ?? `${options.host ?? "*"}:${options.port ?? 0}`;
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
    const { reusePort, ...rest } = options;
    // reusePort needs Node 22.12+/23.1+; older versions ignore unknown listen options.
    listener.listen(reusePort === undefined ? rest : { ...rest, reusePort });
  });
}
