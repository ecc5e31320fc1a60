// @ts-check
// split2 (W1), a peer users would pick instead: `readable.pipe(split2())` and a 'data' handler per
// line, as its README shows, over a Readable fed the same chunks the same way as node:readline's.
// Lines come out as decoded strings without the "\n". `maxLength` is the workload's limit, as the
// other rows keep theirs.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import split2 from "split2";
import { expectCount, produce } from "../lib/memory-harness.js";

/** @import { NodeImpl } from "../lib/types.js" */

/** @type {NodeImpl} */
export const split2Lines = {
  name: "split2",
  supports: (workload) => workload.kind === "memory" && workload.base === "W1",
  async runPass(workload, data, params) {
    if (workload.base !== "W1") throw new RangeError(`split2 runs line workloads only, not ${workload.id}`);
    // Buffer views share the chunks' memory: made before the timer, no copy.
    const buffers = data.chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    const input = new Readable({ read() {} });
    const lines = input.pipe(split2({ maxLength: params.limit }));
    const sink = {
      /** @param {Uint8Array} chunk */
      feedData: (chunk) => void input.push(chunk),
      feedEof: () => void input.push(null),
    };
    let count = 0;
    let wrong = 0;
    const consumed = new Promise((resolve, reject) => {
      lines.on("data", (/** @type {string} */ line) => {
        if (line.length !== 63) wrong++;
        count++;
      });
      lines.once("end", resolve);
      lines.once("error", reject);
    });
    const start = performance.now();
    await Promise.all([produce(sink, buffers), consumed]);
    expectCount("W1 line count", count, params.items ?? 0);
    expectCount("W1 malformed lines", wrong, 0);
    return (performance.now() - start) / 1000;
  },
};
