interface NodeProcessLike {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  off(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
}

/**
 * Listens for the runtime's `unhandledRejection` event (Node, Bun and Deno's Node layer; reached
 * through `globalThis` so runtime-neutral test files need no Node types). Call `stop()` after an
 * `eventLoopTurn()` or two, then check `reasons`.
 */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const nodeProcess = (globalThis as unknown as { process: NodeProcessLike }).process;
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  nodeProcess.on("unhandledRejection", listener);
  return { reasons, stop: () => void nodeProcess.off("unhandledRejection", listener) };
}
