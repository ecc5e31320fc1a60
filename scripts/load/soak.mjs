// @ts-check
// The soak run (`node scripts/load/main.mjs --soak [--lines=N]`, not in CI): T2's pipelined,
// sequence-numbered lines over 100 connections for 10^8 lines by default (S1's nightly count),
// printing every 10 s the lines received in order so far, the rate, and both processes' memory.
// Every counter is a number: nothing grows with the count, so memory must stay flat.
import { runPipelined } from "./pipelined.mjs";

/**
 * @param {{ lines: number, connections: number }} options
 */
export async function runSoak({ lines, connections }) {
  /** @type {number[]} */
  const serverRss = [];
  /** @type {number[]} */
  const serverHeap = [];
  let clientHeapMax = 0;
  let last = { ok: 0, seconds: 0 };
  const r = await runPipelined({
    lines,
    connections,
    tickMs: 10_000,
    nodeFlags: ["--expose-gc"], // the server's stats are then taken right after a full GC
    onTick: async ({ ok, seconds, server }) => {
      const stats = await server.stats();
      serverRss.push(stats.rss);
      serverHeap.push(stats.heap);
      const heap = process.memoryUsage().heapUsed;
      clientHeapMax = Math.max(clientHeapMax, heap);
      const rate = (ok - last.ok) / (seconds - last.seconds);
      last = { ok, seconds };
      console.log(
        `${seconds.toFixed(0).padStart(6)} s  ${ok.toLocaleString("en").padStart(13)} lines in order  ${Math.round(rate).toLocaleString("en").padStart(8)} lines/s  server RSS ${(stats.rss / 2 ** 20).toFixed(1)} MiB, heap ${(stats.heap / 2 ** 20).toFixed(1)} MiB (after GC)  client heap ${(heap / 2 ** 20).toFixed(1)} MiB`,
      );
    },
  });
  return {
    ...r,
    serverRssFirstMiB: (serverRss[0] ?? Number.NaN) / 2 ** 20,
    serverRssLastMiB: (serverRss.at(-1) ?? Number.NaN) / 2 ** 20,
    serverRssMaxMiB: Math.max(...serverRss) / 2 ** 20,
    serverHeapFirstMiB: (serverHeap[0] ?? Number.NaN) / 2 ** 20,
    serverHeapLastMiB: (serverHeap.at(-1) ?? Number.NaN) / 2 ** 20,
    clientHeapMaxMiB: clientHeapMax / 2 ** 20,
  };
}
