/**
 * One check of the transport conformance kit: a name that reads as a sentence, and a `run()` that
 * resolves when the transport conforms and rejects with an `Error` that says what went wrong when
 * it does not. Register each case with any test runner.
 *
 * @example
 * ```ts
 * import { memoryTransportPair } from "@asyncstreams/protocol";
 * import { transportConformance, type ConformanceCase } from "@asyncstreams/protocol/testing";
 *
 * const cases: ConformanceCase[] = transportConformance(() => ({ transports: memoryTransportPair() }), {
 *   halfClose: true,
 *   pauseReading: true,
 *   writeBufferLimits: true,
 * });
 * for (const check of cases) await check.run(); // or, in Vitest: it(check.name, check.run)
 * ```
 */
export interface ConformanceCase {
  /** What the case checks, as a sentence (for example `"close() flushes buffered data, then ..."`). */
  readonly name: string;
  /**
   * Runs the case on a fresh pair from the factory and releases the pair afterwards.
   *
   * Cancel safety: it takes no signal; every wait inside is bounded by the kit's `timeout` option, and
   * the pair is released whether the case passes or fails.
   *
   * @returns A promise that rejects with an `Error` naming the broken rule when the transport fails.
   */
  run(): Promise<void>;
}
