import { MemoryTransport } from "./memory-transport.js";
import type { MemoryTransportOptions } from "./memory-transport.js";

/**
 * Makes two connected in-memory transports with real buffering and water marks: the two ends of a
 * virtual socket, for tests and for anyone writing a transport. See {@linkcode MemoryTransport}.
 *
 * @param options Water marks and extra info for the two ends.
 * @returns The two ends.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
 *
 * const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 1024 } });
 * const client = createStreams(left);
 * const server = createStreams(right, { limit: 1024 });
 * ```
 */
export function memoryTransportPair(options: MemoryTransportOptions = {}): [MemoryTransport, MemoryTransport] {
  return MemoryTransport.pair(options);
}
