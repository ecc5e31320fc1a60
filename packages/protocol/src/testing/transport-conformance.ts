import type { ConformanceCase } from "./conformance-case.js";
import type { ConformancePairFactory } from "./conformance-pair.js";
import type { CaseDefinition } from "./_case.js";
import { dataCases } from "./_cases-data.js";
import { errorCases } from "./_cases-errors.js";
import { flowCases } from "./_cases-flow.js";
import { halfCloseCases } from "./_cases-half-close.js";
import { lifecycleCases } from "./_cases-lifecycle.js";
import { readCases } from "./_cases-reads.js";
import { runCase, type Settings } from "./_context.js";
import { defaultRejectionWatcher } from "./_unhandled-rejections.js";

/**
 * What the transport under test can do, and how patient the kit is.
 *
 * @example
 * ```ts
 * import type { TransportConformanceOptions } from "@asyncstreams/protocol/testing";
 *
 * // A TLS-like transport: no half-close; a slow child process: more patience.
 * const options: TransportConformanceOptions = {
 *   halfClose: false,
 *   pauseReading: true,
 *   writeBufferLimits: true,
 *   timeout: 10_000,
 *   settle: 50,
 * };
 * ```
 */
export interface TransportConformanceOptions {
  /** `writeEof()` half-closes (`canWriteEof()` is `true`); else it must throw and `canWriteEof()` be `false`. */
  halfClose: boolean;
  /** `pauseReading()` really stops `dataReceived()`; else it must throw `NotImplementedError`. */
  pauseReading: boolean;
  /** The transport keeps a write buffer with water marks and calls `pauseWriting()` / `resumeWriting()`. */
  writeBufferLimits: boolean;
  /**
   * `abort()` on one end reaches the peer as a reset, which fails the peer's reads with
   * `ConnectionResetError`. Default `true`; set `false` only for a transport whose peer cannot tell
   * an abort from a clean end (Deno's QUIC streams, for example), and say so in its documentation.
   */
  abortResets?: boolean | undefined;
  /** The longest any single wait may take, in milliseconds. Default 5,000. */
  timeout?: number | undefined;
  /** How long the kit watches for something that must not happen, in milliseconds. Default 25. */
  settle?: number | undefined;
  /** Seed of the random chunkings; a failure message names it, so a run can be replayed. Default 7. */
  seed?: number | undefined;
  /**
   * How to hear of unhandled promise rejections while a case runs: a function that subscribes a
   * listener and returns the unsubscribe function, or `false` not to check. By default the kit
   * feature-detects the runtime's hook (a Node-style `process`'s `unhandledRejection` event, or the
   * global `unhandledrejection` event).
   */
  unhandledRejections?: ((listener: (reason: unknown) => void) => () => void) | false | undefined;
}

const definitions: readonly CaseDefinition[] = [
  ...dataCases,
  ...halfCloseCases,
  ...flowCases,
  ...lifecycleCases,
  ...readCases,
  ...errorCases,
];

/**
 * The transport conformance kit: checks that a transport keeps asyncio's transport contract, the
 * one `StreamReader` and `StreamWriter` rely on. It returns test cases, not a test suite, so that it
 * works with any test runner (and needs none): each case takes a fresh pair from `factory`, runs,
 * releases the pair, and rejects with an `Error` that names the broken rule.
 *
 * The cases check write/read integrity with the input split at every chunk boundary and at random,
 * and that received chunks stay unchanged (the protocol owns them); half-close where the options
 * declare it (EOF after the data, the peer still able to write back; `eofReceived()` returning
 * `false` closing that end) and a clear error where they do not; back-pressure both ways
 * (`pauseReading()` holds back `dataReceived()`, `pauseWriting()` above the high-water mark and
 * `resumeWriting()` at the low one, `drain()` waiting for a full reader and completing once it
 * reads); close and abort ordering (data, then at most one `eofReceived()`, then exactly one
 * `connectionLost()` on each side); writes after `close()` or `abort()` dropped without throwing;
 * `drain()` right after `close()` rejecting; an exception from `dataReceived()` failing the
 * connection with it; reads aborted with a signal consuming nothing; the same error class and
 * `code` for the same event on every transport (a peer's abort is `ConnectionResetError`
 * `ECONNRESET` on every pending and later read and `drain()`, EOF inside `readExactly()` is
 * `IncompleteReadError`, `drain()` after this side's `close()` is `ConnectionLostError`); and no
 * unhandled rejection anywhere. Cases that do not apply to the declared capabilities are left out.
 *
 * The kit itself uses only timers and microtasks, so it runs on every runtime.
 *
 * @param factory Makes a fresh connected pair for each case.
 * @param options The transport's capabilities, and the kit's timeouts.
 * @returns The cases, in a stable order.
 *
 * @example
 * ```ts
 * import { memoryTransportPair } from "@asyncstreams/protocol";
 * import { transportConformance } from "@asyncstreams/protocol/testing";
 * // In a Vitest file: import { describe, it } from "vitest";
 *
 * const cases = transportConformance(() => ({ transports: memoryTransportPair() }), {
 *   halfClose: true,
 *   pauseReading: true,
 *   writeBufferLimits: true,
 * });
 * for (const check of cases) {
 *   await check.run(); // Vitest: describe("MemoryTransport", () => { for (const c of cases) it(c.name, c.run); });
 * }
 * ```
 */
export function transportConformance(
  factory: ConformancePairFactory,
  options: TransportConformanceOptions,
): ConformanceCase[] {
  const settings: Settings = {
    halfClose: options.halfClose,
    pauseReading: options.pauseReading,
    writeBufferLimits: options.writeBufferLimits,
    abortResets: options.abortResets ?? true,
    timeout: options.timeout ?? 5_000,
    settle: options.settle ?? 25,
    seed: options.seed ?? 7,
    watch:
      options.unhandledRejections === false ? undefined : (options.unhandledRejections ?? defaultRejectionWatcher()),
  };
  return definitions
    .filter((definition) => definition.applies(settings))
    .map((definition) => ({
      name: definition.name,
      run: () => runCase(factory, settings, definition.body),
    }));
}
