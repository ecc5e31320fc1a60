/**
 * Subscribes `listener` to the runtime's unhandled-rejection reports and returns how to
 * unsubscribe. See `TransportConformanceOptions.unhandledRejections`.
 */
export type RejectionWatcher = (listener: (reason: unknown) => void) => () => void;

interface EventSourceLike {
  on?(event: string, listener: (reason: unknown) => void): unknown;
  off?(event: string, listener: (reason: unknown) => void): unknown;
}

interface EventTargetLike {
  addEventListener?(type: string, listener: (event: { reason?: unknown }) => void): void;
  removeEventListener?(type: string, listener: (event: { reason?: unknown }) => void): void;
}

/**
 * The runtime's own hook, found by feature detection so that this module stays runtime-neutral:
 * the `unhandledRejection` event of a Node-style global `process` (Node, Bun, Deno 2), else the
 * global `unhandledrejection` event (browsers, Deno). `undefined` where there is neither.
 */
export function defaultRejectionWatcher(): RejectionWatcher | undefined {
  const global = globalThis as unknown as { process?: EventSourceLike } & EventTargetLike;
  const nodeStyle = global.process;
  if (typeof nodeStyle?.on === "function" && typeof nodeStyle.off === "function") {
    return (listener) => {
      nodeStyle.on!("unhandledRejection", listener);
      return () => void nodeStyle.off!("unhandledRejection", listener);
    };
  }
  if (typeof global.addEventListener === "function" && typeof global.removeEventListener === "function") {
    return (listener) => {
      const onEvent = (event: { reason?: unknown }): void => listener(event.reason);
      global.addEventListener!("unhandledrejection", onEvent);
      return () => global.removeEventListener!("unhandledrejection", onEvent);
    };
  }
  return undefined;
}
