// @ts-check
import { mib } from "./m1-idle.js";

/** @import { NetWorkload } from "../lib/types.js" */

const MiB = 1024 * 1024;

/**
 * M3: a client sends 100 MiB with no newline (64 KiB write() + drain(), then EOF) to a server
 * whose `readLine()` loop has limit 64 KiB; each `LimitOverrunError` (asyncio: ValueError) is
 * caught and the loop goes on. The figure is the peak of the reader's buffer: for asyncstreams,
 * tracked by wrapping `feedData()` and re-read with `bufferedBytes()` after each overrun; for
 * Python, `len(reader._buffer)` after each `feed_data()`; for node-raw, its pending-chunk list.
 * `details` adds peak RSS growth and overruns. The pass checks that 100 MiB arrived, that no line
 * was returned but the final partial one, and that the buffer stayed within 2 × limit + one chunk.
 *
 * @type {NetWorkload}
 */
export const m3LongLine = {
  id: "M3",
  base: "M3",
  kind: "scale",
  title: "100 MiB without a newline to a readLine() loop with limit 64 KiB; peak reader buffer",
  unit: "KiB rbuf",
  better: "lower",
  params: (quick) => ({ size: (quick ? 16 : 100) * MiB, chunk: 65_536, limit: 65_536 }),
  warmup: (params) => ({ ...params, size: MiB }),
  figure: (_params, _seconds, measure) => measure["peakReaderBufferKiB"] ?? Number.NaN,
  describe: (measure) =>
    `RSS +${mib(measure["rssGrowthKiB"])}, ${(measure["overruns"] ?? 0).toLocaleString("en-US")} overruns, ${Math.round(measure["megabytesPerSecond"] ?? 0)} MB/s`,
};

/**
 * M3 under an overflow policy no peer offers: "skip" drops the whole line without an error,
 * "chunk" returns it in `limit`-sized pieces. Same stream, limit and checks as M3; "overruns" in
 * the details counts lines skipped or pieces returned.
 *
 * @param {"skip" | "chunk"} overflow
 * @returns {NetWorkload}
 */
function m3WithPolicy(overflow) {
  return {
    ...m3LongLine,
    id: `M3-${overflow}`,
    impls: ["asyncstreams"],
    compareWith: "M3",
    title: `M3 with overflow: "${overflow}"`,
    params: (quick) => ({ ...m3LongLine.params(quick), overflow }),
    warmup: (params) => ({ ...params, size: MiB }),
  };
}

/** M3 with `overflow: "skip"`. */
export const m3Skip = m3WithPolicy("skip");
/** M3 with `overflow: "chunk"`. */
export const m3Chunk = m3WithPolicy("chunk");
