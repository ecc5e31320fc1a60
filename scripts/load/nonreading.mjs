// @ts-check
// T4 / B1 / S4: N clients connect and never read; the server (its own process, `writer` mode) writes
// 64 KiB + drain() to each until every drain() is parked. Reports the server's RSS growth per
// blocked connection over its baseline (after a GC) and its CPU time while all writers are parked.
import { connect } from "node:net";
import { cpuSeconds, sleep, startServerChild } from "./_child.mjs";

/**
 * @param {{ connections: number }} options
 */
export async function runNonReading({ connections }) {
  const server = await startServerChild(["writer"], { nodeFlags: ["--expose-gc"] });
  /** @type {import("node:net").Socket[]} */
  const peers = [];
  try {
    // Warm-up: 5 peers parked and then closed, so JIT code and heap sizing are not in the figures.
    const warm = Array.from({ length: 5 }, () => nonReader(server.port));
    while ((await server.stats()).parked < warm.length) await sleep(50);
    for (const socket of warm) socket.destroy();
    while ((await server.stats()).connections > 0) await sleep(50);
    await sleep(200);
    const baseline = await server.stats();
    const started = performance.now();
    for (let i = 0; i < connections; i++) peers.push(nonReader(server.port));
    let stats = await server.stats();
    while (stats.parked < connections && performance.now() - started < 30_000) {
      await sleep(100);
      stats = await server.stats();
    }
    const parkSeconds = (performance.now() - started) / 1000;
    await sleep(300);
    const cpuBefore = cpuSeconds(server.pid);
    await sleep(2_000);
    const cpuPercent = ((cpuSeconds(server.pid) - cpuBefore) / 2) * 100;
    const loaded = await server.stats();
    return {
      connections,
      parked: loaded.parked,
      parkSeconds,
      kibPerConnection: (loaded.rss - baseline.rss) / connections / 1024,
      growthMiB: (loaded.rss - baseline.rss) / 2 ** 20,
      cpuPercent,
    };
  } finally {
    for (const socket of peers) socket.destroy();
    await server.stop();
  }
}

/** A client that never reads: the kernel buffers fill, then the server's writer parks. */
function nonReader(/** @type {number} */ port) {
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => undefined);
  socket.pause();
  return socket;
}
