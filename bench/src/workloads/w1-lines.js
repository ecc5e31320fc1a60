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
