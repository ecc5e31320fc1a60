// @ts-check
// Connect burst: N plain clients call connect() in the same tick against a line-echo server in its
// own process, each sending one line as soon as it is connected; the figure is each client's time from
// connect() to its line echoed back (p50 / p99 / max), and how many failed. The same burst runs
// against our `startServer()` with its default options and against a plain `node:net` echo server with
// Node's defaults, alternately, `rounds` times each, so both see the same machine load.
// An accept queue (listen backlog) shorter than the burst overflows: the kernel drops the SYNs (or
// the final ACKs) it has no room for and the clients retry after 1 s, which is what the p99 shows.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { percentile, sleep, startServerChild } from "./_child.mjs";

/** TcpExtListenOverflows and ListenDrops from /proc/net/netstat (system-wide counters). */
function listenOverflows() {
  const lines = readFileSync("/proc/net/netstat", "utf8")
    .split("\n")
    .filter((line) => line.startsWith("TcpExt:"));
  const names = (lines[0] ?? "").split(/\s+/);
  const values = (lines[1] ?? "").split(/\s+/);
  return Number(values[names.indexOf("ListenOverflows")] ?? Number.NaN);
}

/**
 * One burst against `port`.
 * @param {number} port
 * @param {number} connections
 */
async function burst(port, connections) {
  const line = Buffer.from("ping\n");
  const overflowsBefore = listenOverflows();
  /** @type {Promise<number>[]} */
  const results = [];
  for (let i = 0; i < connections; i++) {
    results.push(
      new Promise((resolve) => {
        const started = performance.now();
        const socket = connect({ host: "127.0.0.1", port, noDelay: true });
        let received = 0;
        const timer = setTimeout(() => {
          socket.destroy();
          resolve(Number.NaN);
        }, 30_000);
        socket.on("error", () => {
          clearTimeout(timer);
          resolve(Number.NaN);
        });
        socket.once("connect", () => socket.write(line));
        socket.on("data", (/** @type {Buffer} */ chunk) => {
          received += chunk.length;
          if (received < line.length) return;
          clearTimeout(timer);
          resolve(performance.now() - started);
          socket.destroy();
        });
      }),
    );
  }
  const ms = await Promise.all(results);
  const ok = ms.filter((value) => Number.isFinite(value));
  return {
    served: ok.length,
    failed: connections - ok.length,
    p50Ms: percentile(ok, 50),
    p99Ms: percentile(ok, 99),
    maxMs: Math.max(...ok),
    overSecond: ok.filter((value) => value >= 1_000).length,
    listenOverflows: listenOverflows() - overflowsBefore,
  };
}

/**
 * @param {{ connections: number, rounds: number }} options
 */
export async function runBurst({ connections, rounds }) {
  const ours = await startServerChild(["burst"]);
  const node = await startServerChild(["node-burst"]);
  /** @type {Awaited<ReturnType<typeof burst>>[]} */
  const oursRuns = [];
  /** @type {Awaited<ReturnType<typeof burst>>[]} */
  const nodeRuns = [];
  try {
    // Warm both up (JIT, first allocations), then alternate.
    await burst(ours.port, 50);
    await burst(node.port, 50);
    for (let round = 0; round < rounds; round++) {
      await sleep(500);
      oursRuns.push(await burst(ours.port, connections));
      await sleep(500);
      nodeRuns.push(await burst(node.port, connections));
    }
    return { connections, ours: oursRuns, node: nodeRuns };
  } finally {
    await ours.stop();
    await node.stop();
  }
}
