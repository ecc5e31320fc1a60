// @ts-check
// promise-socket (W2), a peer users would pick instead: `new PromiseSocket(stream)` and
// `await promiseSocket.read(4)`, then `read(length)`, as its README shows. It wraps any Node duplex
// stream (PromiseDuplex underneath), so in memory it wraps a Duplex fed the same chunks the same
// way as node:readline's Readable. `read(n)` is the stream's `read(n)`: exactly n bytes (a view
// when they lie in one chunk, a copy when they span two), or the rest at the end.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { Duplex } from "node:stream";
import { PromiseSocket } from "promise-socket";
import { expectCount, produce } from "../lib/memory-harness.js";
import { FRAME_PAYLOAD } from "../workloads/w2-frames.js";

/** @import { Socket } from "node:net" */
/** @import { NodeImpl } from "../lib/types.js" */

/** @type {NodeImpl} */
export const promiseSocket = {
  name: "promise-socket",
  supports: (workload) => workload.kind === "memory" && workload.base === "W2",
  async runPass(workload, data, params) {
    if (workload.base !== "W2") throw new RangeError(`promise-socket runs W2 only, not ${workload.id}`);
    // Buffer views share the chunks' memory: made before the timer, no copy.
    const buffers = data.chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    const stream = new Duplex({
      read() {},
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    // PromiseSocket only calls stream methods a Duplex has; the cast is for its Socket-typed parameter.
    const socket = new PromiseSocket(/** @type {Socket} */ (/** @type {unknown} */ (stream)));
    const sink = {
      /** @param {Uint8Array} chunk */
      feedData: (chunk) => void stream.push(chunk),
      feedEof: () => void stream.push(null),
    };
    const consume = async () => {
      const frames = params.items ?? 0;
      let wrong = 0;
      for (let i = 0; i < frames; i++) {
        const head = /** @type {Buffer | undefined} */ (await socket.read(4));
        if (head === undefined || head.length !== 4) throw new Error(`W2 stream ended inside frame ${i}`);
        const length = head.readUInt32BE(0);
        const payload = /** @type {Buffer | undefined} */ (await socket.read(length));
        if (length !== FRAME_PAYLOAD || payload?.length !== FRAME_PAYLOAD || payload[FRAME_PAYLOAD - 1] !== 0x70)
          wrong++;
      }
      const rest = /** @type {Buffer | undefined} */ (await socket.read());
      expectCount("W2 malformed frames", wrong, 0);
      expectCount("W2 bytes left after the last frame", rest?.length ?? 0, 0);
    };
    const start = performance.now();
    await Promise.all([produce(sink, buffers), consume()]);
    return (performance.now() - start) / 1000;
  },
};
