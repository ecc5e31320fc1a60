// @ts-check
import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers";

/** @import { BenchReader, MemoryWorkload, MemoryData, WorkloadParams } from "./types.js" */

/**
 * Feeds one chunk, then yields to the event loop so the consumer runs concurrently, as a socket
 * delivering one read per loop turn would; feeds EOF after the last chunk.
 *
 * @param {{ feedData(chunk: Uint8Array): void, feedEof(): void }} sink
 * @param {readonly Uint8Array[]} chunks
 * @returns {Promise<void>}
 */
export async function produce(sink, chunks) {
  for (const chunk of chunks) {
    sink.feedData(chunk);
    await new Promise(setImmediate);
  }
  sink.feedEof();
}

/**
 * Times one pass of a reader-based implementation: producer and consumer run concurrently, and the
 * clock covers everything from the first feed to the consumer's last count check.
 *
 * @param {(options: { limit: number }) => BenchReader} createReader
 * @param {MemoryWorkload} workload
 * @param {MemoryData} data
 * @param {WorkloadParams} params
 * @returns {Promise<number>} Elapsed seconds.
 */
export async function timeReaderPass(createReader, workload, data, params) {
  const reader = createReader({ limit: params.limit });
  const start = performance.now();
  await Promise.all([produce(reader, data.chunks), workload.consume(reader, data, params)]);
  return (performance.now() - start) / 1000;
}

/**
 * Throws when a pass's count is wrong: a benchmark that reads the wrong bytes measures nothing.
 *
 * @param {string} what
 * @param {number} actual
 * @param {number} expected
 */
export function expectCount(what, actual, expected) {
  if (actual !== expected) throw new Error(`Wrong ${what}: got ${actual}, expected ${expected}`);
}
