// @ts-check
// The TLS load shapes:
//   T7  N concurrent verified TLS connections held: wraps bench/src/scale/tls-scale.js (run as is,
//       its own output parsed) for handshakes/s and the server's KiB per connection.
//   T8  N clients connect to a TLS server (its own process, default listen backlog, handshakeTimeout
//       H) in one burst and never send a ClientHello: each must be closed within H + 100 ms of its
//       connect, and the server's fds return to baseline; right after, a verified TLS client must
//       complete its handshake and get a line echoed.
//   T9  TLS clients that never read (so never answer close_notify): the server writes 4 MiB, then
//       close(); waitClosed() must settle within shutdownTimeout.
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { percentile, sleep, startServerChild } from "./_child.mjs";

const TLS_SCALE = fileURLToPath(new URL("../../bench/src/scale/tls-scale.js", import.meta.url));
const CA = readFileSync(new URL("../../examples/demo/certs/ca.pem", import.meta.url));

/**
 * T7: runs `node bench/src/scale/tls-scale.js <count> <batch>` and reads its two result lines.
 * @param {{ connections: number, batch: number }} options
 */
export async function runTlsScale({ connections, batch }) {
  const { stdout } = await promisify(execFile)(process.execPath, [TLS_SCALE, String(connections), String(batch)], {
    timeout: 300_000,
    maxBuffer: 1 << 20,
  });
  const rate = /: (\d+) handshakes\/s/.exec(stdout);
  const perConnection = /: ([\d.]+) KiB per connection/.exec(stdout);
  if (rate === null || perConnection === null) throw new Error(`Cannot read tls-scale.js output:\n${stdout}`);
  return { connections, handshakesPerSecond: Number(rate[1]), kibPerConnection: Number(perConnection[1]) };
}

/**
 * T8 / D1 / D15. `node`: against Node's own tls.createServer() instead, as the baseline (its closes
 * count as reports; the probe's line is echoed by it too).
 * @param {{ connections: number, handshakeTimeoutMs: number, node?: boolean }} options
 */
export async function runStalledHandshakes({ connections, handshakeTimeoutMs, node = false }) {
  const server = await startServerChild([node ? "node-tls-stall" : "tls-stall", String(handshakeTimeoutMs)]);
  try {
    await sleep(200);
    const fdsBefore = server.fds();
    /** @type {Promise<number>[]} */
    const lifetimes = [];
    for (let i = 0; i < connections; i++) {
      lifetimes.push(
        new Promise((resolve) => {
          const socket = connect({ host: "127.0.0.1", port: server.port });
          let opened = Number.NaN;
          socket.on("error", () => undefined);
          socket.once("connect", () => {
            opened = performance.now();
          });
          socket.resume();
          // Closed = the server's FIN ('end') or, for a reset, 'close': 'close' alone would add this
          // process's own teardown of 1,000 sockets (tens of ms) to the server's figure.
          const closed = () => resolve(performance.now() - opened);
          socket.once("end", closed);
          socket.once("close", closed);
          // Sends nothing, ever. A server that never closes leaves this pending: bounded below.
          setTimeout(() => socket.destroy(), handshakeTimeoutMs + 10_000).unref();
        }),
      );
    }
    const ms = await Promise.all(lifetimes);
    const late = ms.map((lifetime) => lifetime - handshakeTimeoutMs);
    const probeMs = await probeHandshake(server.port);
    await sleep(300);
    const stats = await server.stats();
    return {
      connections,
      handshakeTimeoutMs,
      withinTarget: late.filter((extra) => extra <= 100).length,
      p50LateMs: percentile(late, 50),
      p99LateMs: percentile(late, 99),
      // Lateness by arrival order: growing with the order means accept queueing, not the timers.
      firstTenthP50LateMs: percentile(late.slice(0, Math.ceil(connections / 10)), 50),
      lastTenthP50LateMs: percentile(late.slice(-Math.ceil(connections / 10)), 50),
      maxLateMs: Math.max(...late),
      earliest: Math.min(...ms),
      fdsLeaked: server.fds() - fdsBefore,
      reported: stats.handshakeErrorsAt.length,
      probeMs,
    };
  } finally {
    await server.stop();
  }
}

/**
 * A verified TLS client's handshake and one echoed line: the time it took, or NaN on failure.
 * @param {number} port
 * @returns {Promise<number>}
 */
function probeHandshake(port) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = tlsConnect({ host: "127.0.0.1", port, servername: "localhost", ca: CA });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.NaN);
    }, 10_000);
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(Number.NaN);
    });
    socket.once("secureConnect", () => socket.write("probe\n"));
    socket.on("data", (/** @type {Buffer} */ chunk) => {
      if (!chunk.toString().includes("probe\n")) return;
      clearTimeout(timer);
      resolve(performance.now() - started);
      socket.destroy();
    });
  });
}

/**
 * T9 / D7.
 * @param {{ connections: number, shutdownTimeoutMs: number }} options
 */
export async function runTlsShutdown({ connections, shutdownTimeoutMs }) {
  const server = await startServerChild(["tls-close", String(shutdownTimeoutMs)]);
  /** @type {import("node:tls").TLSSocket[]} */
  const clients = [];
  try {
    for (let i = 0; i < connections; i++) {
      const socket = tlsConnect({ host: "127.0.0.1", port: server.port, servername: "localhost", ca: CA });
      socket.on("error", () => undefined);
      await new Promise((resolve) => socket.once("secureConnect", resolve));
      socket.pause(); // never reads: our close_notify is never read, let alone answered
      clients.push(socket);
    }
    const started = performance.now();
    while (
      server.events.filter((event) => event.event === "closed").length < connections &&
      performance.now() - started < shutdownTimeoutMs + 30_000
    )
      await sleep(20);
    const closed = server.events.filter((event) => event.event === "closed");
    const ms = closed.map((event) => Number(event.ms));
    return {
      connections,
      shutdownTimeoutMs,
      settled: closed.length,
      maxMs: Math.max(...ms),
      p50Ms: percentile(ms, 50),
      outcomes: [...new Set(closed.map((event) => String(event.outcome)))].join(","),
    };
  } finally {
    for (const socket of clients) socket.destroy();
    await server.stop();
  }
}
