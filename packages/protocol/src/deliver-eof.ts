import type { Protocol } from "./protocol.js";

/**
 * How a transport hands the peer's EOF to its protocol, asyncio's way: it calls `eofReceived()`;
 * when that returns `true` the connection stays half-open (this side may still write); otherwise
 * the transport closes itself; when it throws, the connection fails with that error (asyncio's
 * `_fatal_error`). Every transport of this project delivers EOF through it.
 *
 * @param protocol The protocol to tell, if any (none: the transport just closes).
 * @param transport `close()` to call unless the protocol keeps the connection open, and `fail()`
 *   to call with the protocol's exception.
 * @returns `true` when the protocol keeps the connection half-open.
 *
 * @example
 * ```ts
 * import { deliverEof, memoryTransportPair, createStreams } from "@asyncstreams/protocol";
 *
 * const [left] = memoryTransportPair();
 * const { reader } = createStreams(left);
 * const kept = deliverEof(left.getProtocol(), { close: () => left.close(), fail: () => left.abort() });
 * console.log(kept, reader.atEof()); // true true
 * ```
 */
export function deliverEof(
  protocol: Protocol | null,
  transport: { close(): void; fail(error: unknown): void },
): boolean {
  let keepOpen: unknown;
  try {
    keepOpen = protocol?.eofReceived();
  } catch (error) {
    transport.fail(error);
    return false;
  }
  if (keepOpen === true) return true;
  transport.close();
  return false;
}
