/**
 * The transport conformance kit, for authors of transports: `transportConformance(factory,
 * options)` returns framework-agnostic test cases that check a transport against asyncio's
 * transport contract (integrity, half-close, back-pressure both ways, close and abort ordering,
 * abort-safe reads, no unhandled rejections). Register them with any test runner:
 *
 * ```ts
 * for (const c of transportConformance(factory, options)) it(c.name, c.run);
 * ```
 *
 * Runtime-neutral, like the rest of `@asyncstreams/protocol`, and free of any test framework.
 *
 * @module
 */
export type { ConformanceCase } from "./conformance-case.js";
export type { ConformancePair, ConformancePairFactory } from "./conformance-pair.js";
export { transportConformance } from "./transport-conformance.js";
export type { TransportConformanceOptions } from "./transport-conformance.js";
