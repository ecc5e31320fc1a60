// @ts-check
import { bytes, cutPeriodic, totalLength } from "../lib/chunks.js";
import { expectCount } from "../lib/memory-harness.js";

/** @import { MemoryWorkload } from "../lib/types.js" */

/** The line every W1 stream repeats: 63 × "x" then "\n" (64 bytes). */
export const LINE = bytes(`${"x".repeat(63)}\n`);

/**
 * W1: 1,000,000 lines of 63 × "x" + "\n", read with `readLine()` until it returns an empty array.
 * Measures the per-await cost of the reader: each line is one awaited read of a result that is
 * already buffered almost every time.
 *
 * @type {MemoryWorkload}
 */
export const w1Lines = {
  id: "W1",
  base: "W1",
  kind: "memory",
  title: "1,000,000 lines of 63 × 'x' + '\\n'; readLine() until empty",
  unit: "Mlines/s",
  better: "higher",
  params: (quick) => ({ items: quick ? 100_000 : 1_000_000, limit: 65_536 }),
  warmup: (params) => ({ ...params, items: Math.ceil((params.items ?? 0) / 10) }),
  build(params) {
    const chunks = cutPeriodic(LINE, params.items ?? 0);
    return { chunks, bytes: totalLength(chunks) };
  },
  async consume(reader, _data, params) {
    let lines = 0;
    let wrong = 0;
    for (;;) {
      const line = await reader.readLine();
      if (line.length === 0) break;
      if (line.length !== 64 || line[63] !== 10) wrong++;
      lines++;
    }
    expectCount("W1 line count", lines, params.items ?? 0);
    expectCount("W1 malformed lines", wrong, 0);
  },
  figure: (params, seconds) => (params.items ?? 0) / seconds / 1e6,
};

/**
 * W1-batch: W1's stream read with `readLines()`, asyncstreams' batch read (one await per batch of
 * buffered lines instead of one per line). The stretch goal of issue 5: at least 2 × node-raw's W1.
 *
 * @type {MemoryWorkload}
 */
export const w1Batch = {
  ...w1Lines,
  id: "W1-batch",
  impls: ["asyncstreams"],
  compareWith: "W1",
  title: "W1's stream; readLines() until empty (asyncstreams' batch read)",
  async consume(reader, _data, params) {
    if (reader.readLines === undefined) throw new TypeError("W1-batch needs readLines()");
    let lines = 0;
    let wrong = 0;
    for (let batch = await reader.readLines(); batch.length > 0; batch = await reader.readLines()) {
      for (const line of batch) {
        if (line.length !== 64 || line[63] !== 10) wrong++;
        lines++;
      }
    }
    expectCount("W1-batch line count", lines, params.items ?? 0);
    expectCount("W1-batch malformed lines", wrong, 0);
  },
};
