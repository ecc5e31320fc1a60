// @ts-check
import { mib } from "./m1-idle.js";

/** @import { NetWorkload } from "../lib/types.js" */

/**
 * M2: the client loops `write(64 KiB)` + `await drain()` for 5 s against a peer that never reads
 * (a plain node:net server whose sockets are accepted paused; a plain socket in Python), so the
 * kernel's buffers fill and `drain()` must hold the writer. The figure is the peak of the
 * transport's write buffer (`getWriteBufferSize()`; `socket.writableLength` for node-raw), sampled
 * after every write; `details` adds the peak RSS growth. The pass throws when the buffer ever
 * exceeds the high-water mark plus one write. Afterwards the peer reads everything and the pass
 * checks that every byte written arrived.
 *
 * @type {NetWorkload}
 */
export const m2SlowReader = {
  id: "M2",
  base: "M2",
  kind: "scale",
  title: "write(64 KiB) + drain() for 5 s to a peer that never reads; peak user-space write buffer",
  unit: "KiB wbuf",
  better: "lower",
  params: (quick) => ({ durationMs: quick ? 1_000 : 5_000, chunk: 65_536, limit: 65_536 }),
  warmup: (params) => ({ ...params, durationMs: 100 }),
  figure: (_params, _seconds, measure) => measure["peakWriteBufferKiB"] ?? Number.NaN,
  describe: (measure) =>
    `RSS +${mib(measure["rssGrowthKiB"])}, bound ${measure["boundKiB"] ?? 0} KiB, wrote ${mib(measure["writtenKiB"])}`,
};
