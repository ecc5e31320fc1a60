// @ts-check
// Shared JSDoc types for the benchmark (no runtime code).

/**
 * Sizes of one workload run; passed verbatim to the Node and the Python child so both measure the
 * same stream.
 *
 * @typedef {object} WorkloadParams
 * @property {number} limit The reader's limit in bytes.
 * @property {number} [items] Lines, frames or blocks in the stream.
 * @property {number} [size] Bytes in the stream (for single-block workloads), or sent over TCP (W4, M3).
 * @property {number} [chunk] Bytes per `write()` (W4, M2, M3).
 * @property {number} [connections] Connections open at once (W5, W6, M1).
 * @property {number} [roundTrips] Round trips per connection (W5, W6).
 * @property {number} [durationMs] How long the writer loops against a peer that never reads (M2).
 * @property {"error" | "skip" | "chunk"} [overflow] The reader's overflow policy (M3 and its rows).
 * @property {boolean} [batch] Read with `readLines()` instead of `readLine()` (WS1-batch).
 */

/**
 * @typedef {object} MemoryData
 * @property {Uint8Array[]} chunks The stream, cut into 65,536-byte chunks before the timer starts.
 * @property {number} bytes Total bytes in the stream.
 */

/**
 * The subset of `StreamReader` (API.md) the in-memory workloads use. node-raw's `RawReader` and
 * `@asyncstreams/reader`'s `StreamReader` both fit it.
 *
 * @typedef {object} BenchReader
 * @property {(chunk: Uint8Array) => void} feedData
 * @property {() => void} feedEof
 * @property {(n?: number) => Promise<Uint8Array>} read
 * @property {() => Promise<Uint8Array>} readLine
 * @property {(n: number) => Promise<Uint8Array>} readExactly
 * @property {(separator: Uint8Array) => Promise<Uint8Array>} readUntil
 * @property {() => Promise<Uint8Array[]>} [readLines] asyncstreams' batch read (W1-batch only)
 */

/**
 * @typedef {object} Workload
 * @property {string} id Row name, e.g. "W1" or "W3b-64M".
 * @property {string} base The workload it is a size variant of ("W3b" for "W3b-64M"); the Python
 *   script dispatches on this.
 * @property {readonly string[]} [impls] Only these implementations run it: a row for an API that
 *   only asyncstreams has (W1-batch, M3-skip, M3-chunk).
 * @property {string} [compareWith] The row whose node-raw and cpython figures its ratios use, when
 *   it has none of its own ("W1" for W1-batch), if that row runs in the same invocation.
 * @property {"memory" | "tcp" | "scale"} kind Which harness runs it: `memory` feeds prepared chunks
 *   to a reader; `tcp` (W4-W6) times a server and its clients over 127.0.0.1; `scale` (M1-M3)
 *   measures memory over 127.0.0.1, one fresh process per pass (RSS never shrinks back).
 * @property {string} title One line for the README and the table footer.
 * @property {string} unit Unit of the figure, e.g. "Mlines/s" or "ms".
 * @property {"higher" | "lower"} better Whether a larger figure is better.
 * @property {(quick: boolean) => WorkloadParams} params Full-size parameters.
 * @property {(params: WorkloadParams) => WorkloadParams} warmup Parameters of the untimed warm-up pass (10 %).
 * @property {(params: WorkloadParams, seconds: number, measure: Measure) => number} figure Turns one
 *   pass's time (or, for `scale` workloads, its measure) into the figure.
 * @property {(measure: Measure) => string} [describe] One short note on a pass for the table's
 *   `details` column (the median pass is shown).
 * @property {boolean} [raiseFdLimit] The child needs many descriptors: main.js raises `ulimit -n`.
 */

/**
 * What a `scale` pass measured besides its time: named numbers (KiB, counts), written to the JSON
 * report as they are.
 *
 * @typedef {Record<string, number>} Measure
 */

/**
 * One timed pass over TCP: the clock covers the measured part only (not server start or connects).
 *
 * @typedef {object} PassResult
 * @property {number} seconds Wall-clock seconds.
 * @property {number} cpuSeconds CPU seconds (user + system, all threads) over the same span.
 * @property {Measure} [measure] `scale` workloads: what the figure is computed from.
 */

/**
 * @typedef {Workload & {
 *   kind: "memory",
 *   build(params: WorkloadParams): MemoryData,
 *   consume(reader: BenchReader, data: MemoryData, params: WorkloadParams): Promise<void>,
 * }} MemoryWorkload
 */

/**
 * A TCP or scale workload (W4-W6, M1-M3): each implementation brings its own server and client code
 * (see `NetImpl`); the workload module holds sizes, units and figures.
 *
 * @typedef {Workload & { kind: "tcp" | "scale" }} NetWorkload
 */

/**
 * An implementation's TCP and scale passes, by workload base id ("W4", ..., "M3"): each starts its
 * own server and clients on 127.0.0.1, runs one pass, checks its counts (throws when one is wrong)
 * and closes everything.
 *
 * @typedef {object} NetImpl
 * @property {string} name
 * @property {Partial<Record<string, (params: WorkloadParams) => Promise<PassResult>>>} passes
 */

/**
 * An implementation that runs inside the Node child process.
 *
 * @typedef {object} NodeImpl
 * @property {string} name Column name, e.g. "node-raw".
 * @property {(workload: Workload) => boolean} supports
 * @property {(workload: MemoryWorkload, data: MemoryData, params: WorkloadParams) => Promise<number>} runPass
 *   Runs one pass and returns its elapsed seconds; throws when a count is wrong.
 */

export {};
