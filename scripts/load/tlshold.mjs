// @ts-check
// S6: TLS hold and handshake churn against one TLS echo server (its own process, `tls-hold` mode,
// handshakeTimeout H). First `held` verified TLS connections are opened (batches of 50) and held for
// `holdSeconds`, the server's RSS sampled every second; at the end each must still echo a line. They
// are closed, then `churn` cycles of connect → verified handshake → line → close run, `inFlight` at
// a time from source addresses rotated over 127.0.0.2–127.0.0.50; every `stallEvery`-th cycle is a
// peer that never sends a ClientHello, which H (3 s: long enough that no held handshake meets it on a
// loaded box) must close (D15's handshake-timeout path). At the end
// the server's fds, active timers and handles must be back to their baseline.
import { connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { readFileSync } from "node:fs";
import { percentile, sleep, startServerChild } from "./_child.mjs";

const CA = readFileSync(new URL("../../examples/demo/certs/ca.pem", import.meta.url));

/**
 * A verified TLS connection from `localAddress`, resolved once the handshake is done (null on failure).
 * @param {number} port
 * @param {string} localAddress
 * @returns {Promise<import("node:tls").TLSSocket | null>}
 */
function handshake(port, localAddress) {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: "127.0.0.1", port, localAddress, servername: "localhost", ca: CA });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, 30_000);
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

/**
 * One line round trip on `socket` (true when echoed within 10 s).
 * @param {import("node:tls").TLSSocket} socket
 * @returns {Promise<boolean>}
 */
function roundTrip(socket) {
  return new Promise((resolve) => {
    let text = "";
    const timer = setTimeout(() => resolve(false), 10_000);
    socket.on("data", (/** @type {Buffer} */ chunk) => {
      text += chunk.toString();
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(text === "ping\n");
      }
    });
    socket.write("ping\n");
  });
}

/**
 * A peer that connects and never sends a ClientHello: the ms until the server closes it (NaN if never).
 * @param {number} port
 * @param {string} localAddress
 * @param {number} handshakeTimeoutMs
 * @returns {Promise<number>}
 */
function stall(port, localAddress, handshakeTimeoutMs) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress });
    let opened = Number.NaN;
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      opened = performance.now();
    });
    socket.resume();
    const closed = () => {
      clearTimeout(timer);
      resolve(performance.now() - opened);
    };
    socket.once("end", closed);
    socket.once("close", closed);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.NaN);
    }, handshakeTimeoutMs + 10_000);
  });
}

/**
 * @param {{
 *   held: number, holdSeconds: number, churn: number,
 *   inFlight?: number, stallEvery?: number, handshakeTimeoutMs?: number,
 * }} options
 */
export async function runTlsHold({
  held,
  holdSeconds,
  churn,
  inFlight = 50,
  stallEvery = 100,
  handshakeTimeoutMs = 3_000,
}) {
  const server = await startServerChild(["tls-hold", String(handshakeTimeoutMs)], { nodeFlags: ["--expose-gc"] });
  const addresses = Array.from({ length: 49 }, (_, i) => `127.0.0.${i + 2}`);
  const from = (/** @type {number} */ i) => addresses[i % addresses.length] ?? "127.0.0.2";
  let reported = 0;
  const stats = async () => {
    const s = await server.stats();
    reported += s.handshakeErrorsAt.length;
    return s;
  };
  /** The codes of the handshake failures the server reported, counted: "code ×n, …". */
  const reasons = () =>
    Object.entries(
      /** @type {Record<string, number>} */ (
        server.events
          .filter((e) => e.event === "handshake-error")
          .reduce(
            (acc, e) => ({ ...acc, [String(e.code)]: (acc[String(e.code)] ?? 0) + 1 }),
            /** @type {Record<string, number>} */ ({}),
          )
      ),
    )
      .map(([code, n]) => `${code} ×${n}`)
      .join(", ");
  try {
    // Warm-up (JIT, session machinery), then the baseline.
    for (const socket of await Promise.all(Array.from({ length: 50 }, (_, i) => handshake(server.port, from(i)))))
      socket?.destroy();
    await sleep(1_000);
    const baseline = await stats();
    reported = 0;

    /** @type {import("node:tls").TLSSocket[]} */
    const sockets = [];
    let heldFailed = 0;
    let dropped = 0;
    const opening = performance.now();
    for (let i = 0; i < held; i += 50) {
      for (const socket of await Promise.all(
        Array.from({ length: Math.min(50, held - i) }, (_, j) => handshake(server.port, from(i + j))),
      )) {
        if (socket === null) heldFailed++;
        else {
          sockets.push(socket);
          socket.once("close", () => {
            dropped++;
          });
        }
      }
    }
    const openSeconds = (performance.now() - opening) / 1000;
    await sleep(500);
    const loaded = await stats();
    /** @type {number[]} */
    const rss = [];
    const holdStart = performance.now();
    while (performance.now() - holdStart < holdSeconds * 1000) {
      await sleep(1_000);
      rss.push((await stats()).rss);
    }
    const droppedWhileHeld = dropped;
    const echoed = (await Promise.all(sockets.map(roundTrip))).filter(Boolean).length;
    for (const socket of sockets) socket.end();
    const closing = performance.now();
    while ((await stats()).connections > 0 && performance.now() - closing < 30_000) await sleep(200);
    for (const socket of sockets) socket.destroy();
    await sleep(500);
    const afterHold = await stats();

    /** @type {number[]} */
    const handshakeMs = [];
    /** @type {number[]} */
    const stallMs = [];
    /** @type {Promise<void>[]} */
    const stalling = [];
    let churnFailed = 0;
    let next = 0;
    const churnStart = performance.now();
    const worker = async () => {
      while (next < churn) {
        const i = next++;
        if (i % stallEvery === stallEvery - 1) {
          // Not awaited: a stall would hold this worker for the whole timeout.
          stalling.push(
            stall(server.port, from(i), handshakeTimeoutMs).then((ms) => {
              stallMs.push(ms);
            }),
          );
          continue;
        }
        const started = performance.now();
        const socket = await handshake(server.port, from(i));
        if (socket === null) {
          churnFailed++;
          continue;
        }
        handshakeMs.push(performance.now() - started);
        if (!(await roundTrip(socket))) churnFailed++;
        socket.end();
        await new Promise((resolve) => {
          socket.once("close", resolve);
          setTimeout(resolve, 5_000);
        });
        socket.destroy();
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const churnSeconds = (performance.now() - churnStart) / 1000;
    await Promise.all(stalling);
    await sleep(1_000);
    const end = await stats();
    const stalls = stallMs.length;
    return {
      held,
      holdSeconds,
      heldFailed,
      openRate: sockets.length / openSeconds,
      droppedWhileHeld,
      echoed,
      kibPerConnection: (loaded.rss - baseline.rss) / sockets.length / 1024,
      rssBaselineMiB: baseline.rss / 2 ** 20,
      rssLoadedMiB: loaded.rss / 2 ** 20,
      rssFirstMiB: (rss[0] ?? Number.NaN) / 2 ** 20,
      rssLastMiB: (rss.at(-1) ?? Number.NaN) / 2 ** 20,
      churn,
      inFlight,
      churnFailed,
      churnRate: churn / churnSeconds,
      churnSeconds,
      handshakeP99Ms: percentile(handshakeMs, 99),
      stalls,
      // Closed, not leaked: T8 measures the +100 ms precision. (The minimum is seen from this process,
      // whose 'connect' callback can run after the server's accept started the timer.)
      stallsClosed: stallMs.filter((ms) => ms <= handshakeTimeoutMs + 1_000).length,
      stallMinMs: Math.min(...stallMs),
      stallMaxMs: Math.max(...stallMs),
      handshakeTimeoutMs,
      reported,
      reasons: reasons(),
      fds: [baseline.fds, loaded.fds, afterHold.fds, end.fds],
      timers: [baseline.timers, loaded.timers, afterHold.timers, end.timers],
      handles: [baseline.handles, end.handles],
      rssEndMiB: end.rss / 2 ** 20,
      heapMiB: [baseline.heap / 2 ** 20, end.heap / 2 ** 20],
    };
  } finally {
    await server.stop();
  }
}
