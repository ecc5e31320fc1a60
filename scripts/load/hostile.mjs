// @ts-check
// S5: the hostile-input mix. Against one server (its own process, `hostile` mode: readLine() echo at
// the default limit of 64 KiB, each read under AbortSignal.timeout(T), the connection closed on any
// failure), at once: 20 % long-line peers (A1: up to 10 MiB without a newline, closed by the limit),
// 20 % slowloris peers (A14: 1 B every 100 ms, closed by the deadline), 10 % peers that send half a
// line and reset (C1), and 50 % legitimate clients doing paced round trips (slowloris.mjs's honest(), in
// their own process). The legitimate clients first run alone for a quiet baseline, in the same run.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { percentile, sleep, startServerChild } from "./_child.mjs";

const LEGIT = fileURLToPath(new URL("./_legit.mjs", import.meta.url));

/**
 * Starts `count` legitimate clients in their own process (_legit.mjs); `stop()` returns their samples.
 * @param {number} port
 * @param {number} count
 * @param {number} pauseMs
 */
async function legitClients(port, count, pauseMs) {
  const child = spawn(process.execPath, [LEGIT, String(port), String(count), String(pauseMs)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: /** @type {import("node:stream").Readable} */ (child.stdout) })[
    Symbol.asyncIterator
  ]();
  await lines.next(); // {ready: true}: every client connected
  return {
    /** @returns {Promise<{ samples: { at: number, ms: number }[], errors: number }>} */
    stop: async () => {
      child.stdin?.end();
      const result = await lines.next();
      return JSON.parse(String(result.value));
    },
  };
}

/** @typedef {"long" | "slow" | "rst"} Kind */

/**
 * Opens one hostile peer of `kind`.
 * @param {number} port
 * @param {Kind} kind
 * @param {number} longLineBytes
 */
function hostilePeer(port, kind, longLineBytes) {
  const socket = connect({ host: "127.0.0.1", port });
  socket.setNoDelay(true);
  const entry = {
    kind,
    socket,
    opened: Number.NaN,
    closed: /** @type {number | undefined} */ (undefined),
    connectError: false,
  };
  socket.on("data", () => {});
  socket.on("error", () => {});
  socket.on("end", () => socket.end());
  socket.once("close", () => {
    entry.closed = performance.now();
  });
  const connected = new Promise((resolve) => {
    socket.once("connect", () => {
      entry.opened = performance.now();
      resolve(undefined);
    });
    socket.once("error", () => {
      if (Number.isNaN(entry.opened)) entry.connectError = true;
      resolve(undefined);
    });
  });
  void connected.then(async () => {
    if (entry.connectError) return;
    if (kind === "long") {
      // Respecting back-pressure, as a real sender would; the server's close ends it early.
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      for (let sent = 0; sent < longLineBytes && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(chunk))
          await new Promise((resolve) => {
            socket.once("drain", resolve);
            socket.once("close", resolve);
          });
      }
    } else if (kind === "rst") {
      // Half a frame, then a reset at a random point 100–500 ms later: the server is mid-line.
      socket.write("12345 half a fra");
      await sleep(100 + Math.random() * 400);
      socket.resetAndDestroy();
    }
  });
  return { entry, connected };
}

/**
 * @param {{
 *   connections: number, deadlineMs: number, longLineBytes?: number, pauseMs?: number, quietMs?: number,
 * }} options
 *   pauseMs: each legitimate client's pause between round trips
 */
export async function runHostile({
  connections,
  deadlineMs,
  longLineBytes = 10 * 2 ** 20,
  pauseMs = 100,
  quietMs = 2_000,
}) {
  /** @type {Record<Kind, number>} */
  const planned = {
    long: Math.round(connections * 0.2),
    slow: Math.round(connections * 0.2),
    rst: Math.round(connections * 0.1),
  };
  const legit = connections - planned.long - planned.slow - planned.rst;
  const server = await startServerChild(["hostile", String(deadlineMs)], { nodeFlags: ["--expose-gc"] });
  try {
    const quietClients = await legitClients(server.port, legit, pauseMs);
    await sleep(quietMs);
    const quiet = await quietClients.stop();
    const quietP99 = percentile(
      quiet.samples.map((s) => s.ms),
      99,
    );
    await sleep(300);
    const baseline = await server.stats();

    const underClients = await legitClients(server.port, legit, pauseMs);
    await sleep(500);
    const attackStart = performance.now() + performance.timeOrigin;
    // Interleaved: 2 long, 2 slow, 1 rst per 5 hostile peers, so every batch carries the whole mix.
    const order = Array.from(
      { length: planned.long + planned.slow + planned.rst },
      (_, i) => /** @type {Kind} */ (["long", "slow", "rst", "long", "slow"][i % 5]),
    );
    /** @type {ReturnType<typeof hostilePeer>["entry"][]} */
    const attack = [];
    for (let batch = 0; batch < order.length; batch += 250) {
      const peers = order.slice(batch, batch + 250).map((kind) => hostilePeer(server.port, kind, longLineBytes));
      attack.push(...peers.map((peer) => peer.entry));
      await Promise.all(peers.map((peer) => peer.connected));
    }
    const opened = performance.now();
    const drip = setInterval(() => {
      for (const entry of attack)
        if (entry.kind === "slow" && entry.closed === undefined && !entry.socket.destroyed) entry.socket.write("a");
    }, 100);
    while (attack.some((entry) => entry.closed === undefined) && performance.now() - opened < deadlineMs + 3_000)
      await sleep(50);
    const allClosedAt = performance.now();
    const allClosedAtEpoch = allClosedAt + performance.timeOrigin;
    clearInterval(drip);
    // The server sees the resets a little after the peers send them.
    const ended = () => server.stats().then((s) => Number(s.shed) + Number(s.overruns) + Number(s.resets));
    while ((await ended()) < order.length && performance.now() - allClosedAt < 2_000) await sleep(50);
    const loaded = await server.stats(); // rssPeak: the peak since `baseline`, sampled every 10 ms
    await sleep(1_000);
    const under = await underClients.stop();
    for (const entry of attack) entry.socket.destroy();
    await sleep(300);
    const end = await server.stats();

    /** @param {Kind} kind */
    const lifetimes = (kind) =>
      attack
        .filter((entry) => entry.kind === kind)
        .map((entry) => (entry.closed === undefined ? Number.POSITIVE_INFINITY : entry.closed - entry.opened));
    const during = under.samples.filter((s) => s.at >= attackStart && s.at < allClosedAtEpoch).map((s) => s.ms);
    const after = under.samples.filter((s) => s.at >= allClosedAtEpoch).map((s) => s.ms);
    return {
      connections,
      legit,
      planned,
      hostile: order.length,
      deadlineMs,
      longLineBytes,
      connectErrors: attack.filter((entry) => entry.connectError).length,
      // Closed by the server: long-line peers by the limit, slowloris by the deadline (T + 1 s).
      longClosed: lifetimes("long").filter(Number.isFinite).length,
      longMaxMs: Math.max(...lifetimes("long")),
      slowClosedInTime: lifetimes("slow").filter((ms) => ms <= deadlineMs + 1_000).length,
      slowMaxMs: Math.max(...lifetimes("slow")),
      // Counted at the end: the server may still be working through the mix when the peers are gone.
      overruns: Number(end.overruns),
      shed: Number(end.shed),
      resets: Number(end.resets),
      partial: Number(end.partial) - Number(baseline.partial),
      // Hostile connections that reached a handler (the legit ones of the mix phase taken out): a peer
      // that resets before its handler runs never does, which only an RST peer may.
      hostileServed: Number(end.served) - Number(baseline.served) - legit,
      quietP99,
      duringP50: percentile(during, 50),
      duringP99: percentile(during, 99),
      afterP99: percentile(after, 99),
      legitRoundTrips: under.samples.length,
      legitErrors: quiet.errors + under.errors,
      rssBaselineMiB: baseline.rss / 2 ** 20,
      rssPeakMiB: Math.max(loaded.rssPeak, loaded.rss) / 2 ** 20,
      fdsBefore: baseline.fds,
      fdsAfter: end.fds,
      connectionsAfter: Number(end.connections),
    };
  } finally {
    await server.stop();
  }
}
