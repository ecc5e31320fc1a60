// The fix for @matrixai/quic 2.0.9's crash on a peer's stream reset with a large code.
//
// quiche reports a peer's RESET_STREAM or STOP_SENDING as an error whose message carries the code
// (`StreamReset(N)`, `StreamStopped(N)`), and matrixai finds it with `/StreamReset\((\d{1,16})\)/`.
// QUIC codes are varints up to 2^62 - 1 (19 digits): from 10^16 on, the regex misses, matrixai
// takes the reset for an internal failure and throws out of processStreams(), where nobody catches
// it, and the Node process dies; any peer can do that to a server. Between 2^53 and 10^16, it
// parses the digits into a number and the code comes out rounded.
//
// matrixai's regex lives in a module namespace we cannot reassign, so the fix sits one level down,
// on quiche's Connection prototype that the native binding exposes: a stream error whose code is
// above 2^53 - 1 keeps its exact code here and reaches matrixai with a 16-digit stand-in, which
// its regex matches; `codeToReason` (in `_matrixai-stack.ts`) swaps the exact code back in. The
// stand-in is the only code above 2^53 - 1 matrixai can ever parse, so seeing it means this patch
// made it. As with `_defer-early-streams.ts`, the fix is this package's code, not a patch to
// node_modules; not yet reported upstream; drop it once a fixed release is pinned.
import { native } from "@matrixai/quic";
import { rewriteLargeCode } from "./_rewrite-large-code.js";

const PATCHED = Symbol.for("@asyncstreams/quic.largeStreamCodes");

/** 2^53: 16 digits (matched by matrixai's regex) and not a safe integer, so never a code it passes on as is. */
const STAND_IN = 2 ** 53;

/** The methods through which matrixai learns of a peer's reset or STOP_SENDING. */
const METHODS = ["streamRecv", "streamSend", "streamCapacity", "streamShutdown"] as const;

/**
 * Where the exact code of the last stream error given a stand-in is kept, read back synchronously
 * by matrixai's catch: on the shared native prototype, beside the patched flag, because only the
 * first copy of this package in a process patches it, and every copy must read what it wrote.
 */
const LAST_LARGE_CODE = Symbol.for("@asyncstreams/quic.lastLargeCode");

type Prototype = Record<string | symbol, unknown>;

/**
 * Patches quiche's `Connection.prototype` once per loaded copy of @matrixai/quic, and returns the
 * function that turns the code matrixai hands to `codeToReason` back into the peer's exact code.
 *
 * @returns `exactCode(code)`: the peer's code as a bigint; 0n for a code that is not an integer.
 */
export function largeStreamCodes(): (code: number) => bigint {
  // Typed as an interface there; at run time it is the native class.
  const prototype = (native.quiche.Connection as unknown as { prototype: Prototype }).prototype;
  if (prototype[PATCHED] !== true) {
    prototype[PATCHED] = true;
    for (const name of METHODS) {
      const original = prototype[name] as (this: unknown, ...args: unknown[]) => unknown;
      prototype[name] = function patched(this: unknown, ...args: unknown[]): unknown {
        try {
          return original.apply(this, args);
        } catch (error) {
          const exact = rewriteLargeCode(error, STAND_IN);
          if (exact !== undefined) prototype[LAST_LARGE_CODE] = exact;
          throw error;
        }
      };
    }
  }
  return (code) => {
    if (Number.isSafeInteger(code)) return BigInt(code);
    // Not a safe integer: the stand-in (matrixai calls codeToReason in the same catch, right after
    // the failed call, so the last large code is this one's).
    const exact = prototype[LAST_LARGE_CODE];
    if (code === STAND_IN && typeof exact === "bigint") return exact;
    return Number.isInteger(code) ? BigInt(code) : 0n;
  };
}
