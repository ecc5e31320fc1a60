import type { Transport } from "../transport.js";

/**
 * What a conformance factory returns: two connected transports, neither with a protocol yet (bytes
 * written on one arrive on the other), and how to release whatever was made for them.
 *
 * @example
 * ```ts
 * import { memoryTransportPair } from "@asyncstreams/protocol";
 * import type { ConformancePair } from "@asyncstreams/protocol/testing";
 *
 * const pair: ConformancePair = { transports: memoryTransportPair(), close: () => undefined };
 * ```
 */
export interface ConformancePair {
  /** The two ends, `[a, b]`. The kit attaches their protocols (`setProtocol`, then `connectionMade`). */
  readonly transports: readonly [Transport, Transport];
  /**
   * Releases what the factory made (sockets, servers, child processes). Called once after each case,
   * when it passed and when it failed, after the kit has closed or aborted both transports.
   */
  close?(): void | Promise<void>;
}

/**
 * Makes a fresh {@linkcode ConformancePair} for each conformance case.
 *
 * @example
 * ```ts
 * import { memoryTransportPair } from "@asyncstreams/protocol";
 * import type { ConformancePairFactory } from "@asyncstreams/protocol/testing";
 *
 * const factory: ConformancePairFactory = () => ({ transports: memoryTransportPair() });
 * ```
 */
export type ConformancePairFactory = () => ConformancePair | Promise<ConformancePair>;
