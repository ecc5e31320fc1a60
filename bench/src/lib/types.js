// @ts-check
// Shared JSDoc types for the benchmark (no runtime code).

/**
 * Sizes of one workload run; passed verbatim to the Node and the Python child so both measure the
 * same stream.
 *
 * @typedef {object} WorkloadParams
 * @property {number} limit The reader's limit in bytes.
 * @property {number} [items] Lines, frames or blocks in the stream.
 * @property {number} [size] Bytes in the stream (for single-block workloads).
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
 */

/**
 * @typedef {object} Workload
 * @property {string} id Row name, e.g. "W1" or "W3b-64M".
 * @property {string} base The workload it is a size variant of ("W3b" for "W3b-64M"); the Python
 *   script dispatches on this.
 * @property {"memory"} kind Which harness runs it (TCP workloads will add their own kind).
 * @property {string} title One line for the README and the table footer.
 * @property {string} unit Unit of the figure, e.g. "Mlines/s" or "ms".
 * @property {"higher" | "lower"} better Whether a larger figure is better.
 * @property {(quick: boolean) => WorkloadParams} params Full-size parameters.
 * @property {(params: WorkloadParams) => WorkloadParams} warmup Parameters of the untimed warm-up pass (10 %).
 * @property {(params: WorkloadParams, seconds: number) => number} figure Turns one pass's time into the figure.
 */

/**
 * @typedef {Workload & {
 *   build(params: WorkloadParams): MemoryData,
 *   consume(reader: BenchReader, data: MemoryData, params: WorkloadParams): Promise<void>,
 * }} MemoryWorkload
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
