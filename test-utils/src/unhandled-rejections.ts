interface NodeProcessLike {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  off(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
}

interface RejectionEventTarget {
  addEventListener(type: "unhandledrejection", listener: (event: { reason: unknown }) => void): void;
  removeEventListener(type: "unhandledrejection", listener: (event: { reason: unknown }) => void): void;
}

/**
 * Listens for unhandled rejections through the runtime's own hook: the `unhandledRejection` event of
 * a Node-style `process` (Node, Bun, Deno's Node layer), else the global `unhandledrejection` event
 * (browsers, which have no `process`). Call `stop()` after an `eventLoopTurn()` or two, then check
 * `reasons`.
 */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const nodeProcess = (globalThis as unknown as { process?: Partial<NodeProcessLike> }).process;
  if (typeof nodeProcess?.on === "function" && typeof nodeProcess.off === "function") {
    const process = nodeProcess as NodeProcessLike;
    const listener = (reason: unknown): void => void reasons.push(reason);
    process.on("unhandledRejection", listener);
    return { reasons, stop: () => void process.off("unhandledRejection", listener) };
  }
  const target = globalThis as unknown as RejectionEventTarget;
  const listener = (event: { reason: unknown }): void => void reasons.push(event.reason);
  target.addEventListener("unhandledrejection", listener);
  return { reasons, stop: () => target.removeEventListener("unhandledrejection", listener) };
}
