// @ts-check
/** @import { NetWorkload } from "../lib/types.js" */

const MiB = 1024 * 1024;

/**
 * W4: one TCP connection on 127.0.0.1; the client writes 512 MiB as 64 KiB `write()` + `await
 * drain()`, then `writeEof()`; the server reads with `read(65536)` until EOF. The clock runs from
 * the first write to the server's EOF. Measures the write path, flow control and the read path
 * with almost no per-item cost: the bytes per second the whole stack moves.
 *
 * @type {NetWorkload}
 */
export const w4Throughput = {
  id: "W4",
  base: "W4",
  kind: "tcp",
  title: "TCP: client writes 512 MiB as 64 KiB write() + drain(), then writeEof(); server read(65536) until EOF",
  unit: "MB/s",
  better: "higher",
  params: (quick) => ({ size: (quick ? 64 : 512) * MiB, chunk: 65_536, limit: 65_536 }),
  warmup: (params) => ({ ...params, size: Math.ceil((params.size ?? 0) / 10 / 65_536) * 65_536 }),
  figure: (params, seconds) => (params.size ?? 0) / seconds / 1e6,
};
