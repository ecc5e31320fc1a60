// @ts-check
// it-byte-stream (W2), a peer users would pick instead: `byteStream(duplex)` over a duplex iterable
// whose source is the chunk stream, read as its README and types show: `read({ bytes: 4 })`, then
// `read({ bytes: length })`. Each read returns a Uint8ArrayList; the payload's `subarray()` gives
// the Uint8Array a caller needs (zero-copy when it lies in one chunk, one copy when it spans two).
// (Its README writes `read(5)`, but the published 3.0.0 takes `{ bytes: 5 }`: a number is ignored
// and the call returns whatever chunk arrives next.)
import { performance } from "node:perf_hooks";
import { byteStream } from "it-byte-stream";
import { ChunkQueue } from "../lib/chunk-queue.js";
import { expectCount, produce } from "../lib/memory-harness.js";
import { FRAME_PAYLOAD } from "../workloads/w2-frames.js";

/** @import { NodeImpl } from "../lib/types.js" */

/** @type {NodeImpl} */
export const itByteStream = {
  name: "it-byte-stream",
  supports: (workload) => workload.kind === "memory" && workload.base === "W2",
  async runPass(workload, data, params) {
    if (workload.base !== "W2") throw new RangeError(`it-byte-stream runs W2 only, not ${workload.id}`);
    const source = new ChunkQueue();
    // Nothing is written in W2: the sink only drains what byteStream() would send.
    const bytes = byteStream({
      source,
      sink: async (written) => {
        for await (const _ of written);
      },
    });
    const consume = async () => {
      const frames = params.items ?? 0;
      let wrong = 0;
      for (let i = 0; i < frames; i++) {
        const head = await bytes.read({ bytes: 4 });
        const length = head.getUint32(0);
        const payload = (await bytes.read({ bytes: length })).subarray();
        const last = payload[FRAME_PAYLOAD - 1];
        if (length !== FRAME_PAYLOAD || payload.length !== FRAME_PAYLOAD || last !== 0x70) wrong++;
      }
      expectCount("W2 malformed frames", wrong, 0);
      expectCount("W2 bytes left after the last frame", await bytesLeft(bytes), 0);
    };
    const start = performance.now();
    await Promise.all([produce(source, data.chunks), consume()]);
    return (performance.now() - start) / 1000;
  },
};

/**
 * 0 at a clean EOF, else how many bytes one more read returned. `read()` without `bytes` would
 * skip what byteStream already buffered, so this asks for one byte: at EOF that throws.
 *
 * @param {{ read(options: { bytes: number }): Promise<{ byteLength: number }> }} bytes
 * @returns {Promise<number>}
 */
export async function bytesLeft(bytes) {
  try {
    return (await bytes.read({ bytes: 1 })).byteLength;
  } catch (error) {
    if (error instanceof Error && error.name === "UnexpectedEOFError") return 0;
    throw error;
  }
}
