// @ts-check
// S3 / C7: connection churn. N cycles of connect → one line → echo → close against the echo server
// (its own process, default options), `inFlight` cycles at a time, from source addresses rotated over
// 127.0.0.2–127.0.0.50 (one 4-tuple space per address, so TIME_WAIT does not run out of ports).
// Checks the server's fds return to baseline, its RSS slope after warm-up (RSS after a GC, sampled
// every 10% of the run), p99 connect time, failed cycles, and the server's active handles
// (process.getActiveResourcesInfo(): timers and sockets) back to baseline.
import { connect } from "node:net";
import { percentile, sleep, startServerChild } from "./_child.mjs";

/**
 * One cycle: connect from `localAddress`, send a line, wait for its echo, close.
 * @param {number} port
 * @param {string} localAddress
 * @returns {Promise<number>} the connect time in ms, or NaN on failure
 */
function cycle(port, localAddress) {
  return new Promise((resolve) => {
    const started = performance.now();
    let connected = Number.NaN;
    const socket = connect({ host: "127.0.0.1", port, localAddress, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.NaN);
    }, 30_000);
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(Number.NaN);
    });
    socket.once("connect", () => {
      connected = performance.now() - started;
      socket.write("churn\n");
    });
    socket.once("data", () => {
      clearTimeout(timer);
      socket.end();
      socket.once("close", () => resolve(connected));
    });
  });
}

/**
 * @param {{ cycles: number, inFlight: number }} options
 */
export async function runChurn({ cycles, inFlight }) {
  const server = await startServerChild(["burst"], { nodeFlags: ["--expose-gc"] });
  try {
    const addresses = Array.from({ length: 49 }, (_, i) => `127.0.0.${i + 2}`);
    // Warm up, then the baseline.
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => cycle(server.port, addresses[i % addresses.length] ?? "127.0.0.2")),
    );
    await sleep(500);
    const baseline = await server.stats();
    /** @type {number[]} */
    const connectMs = [];
    /** @type {{ done: number, rss: number }[]} */
    const samples = [];
    let failed = 0;
    let next = 0;
    let done = 0;
    const started = performance.now();
    const sampleEvery = Math.max(1, Math.floor(cycles / 10));
    const worker = async () => {
      while (next < cycles) {
        const i = next++;
        const ms = await cycle(server.port, addresses[i % addresses.length] ?? "127.0.0.2");
        if (Number.isFinite(ms)) connectMs.push(ms);
        else failed++;
        done++;
        if (done % sampleEvery === 0) samples.push({ done, rss: (await server.stats()).rss });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - started) / 1000;
    await sleep(1_000);
    const end = await server.stats();
    // Slope over the second half (after warm-up): bytes per 1,000 connections, least squares.
    const half = samples.slice(Math.floor(samples.length / 2));
    const meanX = half.reduce((sum, s) => sum + s.done, 0) / half.length;
    const meanY = half.reduce((sum, s) => sum + s.rss, 0) / half.length;
    const slope =
      half.reduce((sum, s) => sum + (s.done - meanX) * (s.rss - meanY), 0) /
      Math.max(
        1,
        half.reduce((sum, s) => sum + (s.done - meanX) ** 2, 0),
      );
    return {
      cycles,
      inFlight,
      seconds,
      rate: cycles / seconds,
      failed,
      p99ConnectMs: percentile(connectMs, 99),
      fdsBefore: baseline.fds,
      fdsAfter: end.fds,
      handlesBefore: baseline.handles,
      handlesAfter: end.handles,
      rssBeforeMiB: baseline.rss / 2 ** 20,
      rssAfterMiB: end.rss / 2 ** 20,
      kibPerThousand: (slope * 1000) / 1024,
    };
  } finally {
    await server.stop();
  }
}
