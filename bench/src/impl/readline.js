// @ts-check
// node:readline, the line reader Node.js ships: readline.createInterface over a Readable that is
// fed the same chunks the same way, consumed with `for await`. Lines come out as strings without
// the "\n" (readline decodes UTF-8), which is what its users get.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { expectCount, produce } from "../lib/memory-harness.js";

/** @import { NodeImpl } from "../lib/types.js" */

/** @type {NodeImpl} */
export const nodeReadline = {
  name: "node:readline",
  supports: (workload) => workload.kind === "memory" && workload.base === "W1",
  async runPass(workload, data, params) {
    if (workload.base !== "W1") throw new RangeError(`node:readline runs line workloads only, not ${workload.id}`);
    // Buffer views share the chunks' memory: made before the timer, no copy.
    const buffers = data.chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    const input = new Readable({ read() {} });
    const lines = createInterface({ input, crlfDelay: Infinity });
    const sink = {
      /** @param {Uint8Array} chunk */
      feedData: (chunk) => void input.push(chunk),
      feedEof: () => void input.push(null),
    };
    const consume = async () => {
      let count = 0;
      let wrong = 0;
      for await (const line of lines) {
        if (line.length !== 63) wrong++;
        count++;
      }
      expectCount("W1 line count", count, params.items ?? 0);
      expectCount("W1 malformed lines", wrong, 0);
    };
    const start = performance.now();
    await Promise.all([produce(sink, buffers), consume()]);
    return (performance.now() - start) / 1000;
  },
};
