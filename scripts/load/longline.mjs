// @ts-check
// T5 / A1: a peer sends `size` bytes without a newline, then "\nhello\n", to a server (its own
// process, `longline` mode) that loops readLine() with limit 64 KiB. Reports the reader buffer's
// peak (reader.bufferedLength sampled every loop turn, and each overrun's `consumed`), the server's
// peak RSS growth over its baseline (best of 3 runs), the number of LimitOverrunErrors, and the
// discard throughput. The same run against a plain node:net server that drops the bytes gives Node's
// own RSS floor (64 KiB read buffers are garbage until a GC reclaims them, whatever reads them).
import { connect } from "node:net";
import { sleep, startServerChild } from "./_child.mjs";

/**
 * @param {{ size: number, mode?: "longline" | "discard" }} options mode "discard": the same bytes to
 *   a plain node:net server that drops them (no asyncstreams), for Node's own RSS floor
 */
export async function runLongLine({ size, mode = "longline" }) {
  const server = await startServerChild([mode], { nodeFlags: ["--expose-gc"] });
  try {
    // Warm-up: one 2 MiB long line first, so JIT code and heap sizing are not in the figures.
    await sendLongLine(server, 2 * 2 ** 20, 1);
    // RSS peaks depend on when the GC runs: the best of 3 runs, each from a fresh baseline.
    let rssGrowth = Number.POSITIVE_INFINITY;
    let rssWorst = 0;
    let peak = 0;
    let result;
    for (let run = 0; run < 3; run++) {
      const baseline = await server.stats();
      result = await sendLongLine(server, size, run + 2);
      const stats = await server.stats();
      rssGrowth = Math.min(rssGrowth, stats.rssPeak - baseline.rss);
      rssWorst = Math.max(rssWorst, stats.rssPeak - baseline.rss);
      peak = Math.max(peak, stats.peak);
    }
    const last = /** @type {{ bytes: number, overruns: number, seconds: number, lines: string[] }} */ (result);
    return {
      size,
      bytes: last.bytes,
      overruns: last.overruns,
      lastLine: last.lines.at(-1),
      lines: last.lines.length,
      peakKiB: peak / 1024,
      rssGrowthMiB: rssGrowth / 2 ** 20,
      rssWorstMiB: rssWorst / 2 ** 20,
      mibPerSecond: last.bytes / 2 ** 20 / last.seconds,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Sends `size` bytes of "A", then "\nhello\n" and FIN; resolves with the server's report on it.
 * @param {import("./_child.mjs").ServerChild} server
 * @param {number} size
 * @param {number} nth which longline event (1-based) this connection produces
 */
async function sendLongLine(server, size, nth) {
  const socket = connect({ host: "127.0.0.1", port: server.port });
  socket.on("error", () => undefined);
  await new Promise((resolve) => socket.once("connect", resolve));
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  for (let sent = 0; sent < size; sent += chunk.length) {
    if (!socket.write(sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent)))
      await new Promise((resolve) => socket.once("drain", resolve));
  }
  socket.end("\nhello\n");
  const started = performance.now();
  const reports = () => server.events.filter((event) => event.event === "longline");
  while (reports().length < nth && performance.now() - started < 120_000) await sleep(20);
  socket.destroy();
  const report = reports()[nth - 1];
  if (report === undefined) throw new Error(`No longline report for ${size} bytes`);
  return /** @type {{ bytes: number, overruns: number, seconds: number, lines: string[] }} */ (report);
}
