import type { QuicStack } from "./_stack.js";

let loading: Promise<QuicStack> | undefined;

/**
 * The QUIC stack of this runtime, loaded on first use: Deno's own QUIC on Deno, `@matrixai/quic`
 * elsewhere (Node). Chosen at run time, and imported lazily, so that Deno never loads the native
 * addon and Node never looks for `Deno`.
 */
export function loadStack(): Promise<QuicStack> {
  loading ??=
    (globalThis as { Deno?: unknown }).Deno !== undefined
      ? import("./_deno-stack.js").then((module) => module.denoStack)
      : import("./_matrixai-stack.js").then((module) => module.matrixaiStack);
  return loading;
}
