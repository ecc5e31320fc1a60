// @ts-check
// T1 / C6 / S2: N idle TCP connections held at once against a `hold` server in its own process
// (its handlers wait in reader.read()); reports the time to open them and the server's RSS per
// connection over its idle baseline (both after a GC). Clients are plain sockets here, in batches of 500.
// The server listens with a backlog of 4,096: with the usual 511, bursts of 500 connects overflow the
// accept queue and the dropped SYNs are retried after 1 s (TcpExtListenOverflows), which measures the
// kernel's retry timer rather than the server (10,000 took 5.7-6.7 s that way, 0.7 s with 4,096).
import { connect } from "node:net";
import { sleep, startServerChild } from "./_child.mjs";

/**
 * @param {number} port
 * @returns {Promise<import("node:net").Socket | null>}
 */
function open(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("error", () => resolve(null));
    socket.once("connect", () => resolve(socket));
  });
}

/**
 * @param {{ connections: number, backlog?: number }} options
 */
export async function runIdle({ connections, backlog = 4_096 }) {
  const server = await startServerChild(["hold", String(backlog)], { nodeFlags: ["--expose-gc"] });
  try {
    // Warm up: code paths hot and the first allocations made before the baseline.
    const warm = (await Promise.all(Array.from({ length: 200 }, () => open(server.port)))).filter(
      (socket) => socket !== null,
    );
    for (const socket of warm) socket.destroy();
    await sleep(300);
    const baseline = await server.stats();
    /** @type {import("node:net").Socket[]} */
    const held = [];
    let failed = 0;
    const started = performance.now();
    for (let i = 0; i < connections; i += 500) {
      const batch = await Promise.all(Array.from({ length: Math.min(500, connections - i) }, () => open(server.port)));
      for (const socket of batch)
        if (socket === null) failed++;
        else held.push(socket);
    }
    const connectSeconds = (performance.now() - started) / 1000;
    // Opened means the server's handler holds it, not merely accepted by the kernel.
    let loaded = await server.stats();
    while (loaded.connections < held.length && performance.now() - started < 60_000) {
      await sleep(50);
      loaded = await server.stats();
    }
    const openSeconds = (performance.now() - started) / 1000;
    await sleep(500);
    loaded = await server.stats();
    for (const socket of held) socket.destroy();
    return {
      connections,
      backlog,
      held: loaded.connections,
      failed,
      connectSeconds,
      openSeconds,
      baselineMiB: baseline.rss / 2 ** 20,
      loadedMiB: loaded.rss / 2 ** 20,
      kibPerConnection: (loaded.rss - baseline.rss) / Math.max(1, loaded.connections) / 1024,
    };
  } finally {
    await server.stop();
  }
}
