// @ts-check
// it-length-prefixed (W2), a peer users would pick instead: `decode(source)` and `for await`, as
// its README shows. Its default prefix is an unsigned varint; W2's is a 4-byte big-endian length,
// which the library's documented `lengthDecoder` option reads (a function that throws RangeError
// while too few bytes are buffered and sets `.bytes` to the prefix size). So this row reads W2's
// exact stream. Each frame comes out as a Uint8ArrayList; its `subarray()` gives the Uint8Array a
// caller needs (zero-copy when it lies in one chunk, one copy when it spans two).
import { performance } from "node:perf_hooks";
import { decode } from "it-length-prefixed";
import { ChunkQueue } from "../lib/chunk-queue.js";
import { expectCount, produce } from "../lib/memory-harness.js";
import { FRAME_PAYLOAD } from "../workloads/w2-frames.js";

/** @import { NodeImpl } from "../lib/types.js" */
/** @import { LengthDecoderFunction } from "it-length-prefixed" */

/**
 * W2's prefix: 4 bytes, big-endian. A short buffer throws RangeError, which `decode()` reads as
 * "wait for more bytes"; `bytes` tells it how many bytes the prefix took.
 *
 * @type {LengthDecoderFunction}
 */
export const uint32BigEndian = Object.assign(
  /** @type {(buffer: Parameters<LengthDecoderFunction>[0]) => number} */
  (buffer) => {
    if (buffer.byteLength < 4) throw new RangeError("Could not decode the length: fewer than 4 bytes buffered");
    return buffer.getUint32(0);
  },
  { bytes: 4 },
);

/** @type {NodeImpl} */
export const itLengthPrefixed = {
  name: "it-length-prefixed",
  supports: (workload) => workload.kind === "memory" && workload.base === "W2",
  async runPass(workload, data, params) {
    if (workload.base !== "W2") throw new RangeError(`it-length-prefixed runs W2 only, not ${workload.id}`);
    const source = new ChunkQueue();
    const consume = async () => {
      let frames = 0;
      let wrong = 0;
      // decode() throws UnexpectedEOFError when bytes are left after the last whole frame.
      for await (const frame of decode(source, { lengthDecoder: uint32BigEndian })) {
        const payload = frame.subarray();
        if (payload.length !== FRAME_PAYLOAD || payload[FRAME_PAYLOAD - 1] !== 0x70) wrong++;
        frames++;
      }
      expectCount("W2 frame count", frames, params.items ?? 0);
      expectCount("W2 malformed frames", wrong, 0);
    };
    const start = performance.now();
    await Promise.all([produce(source, data.chunks), consume()]);
    return (performance.now() - start) / 1000;
  },
};
