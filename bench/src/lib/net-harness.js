// @ts-check
// Shared pieces of the TCP (W4-W6) and scale (M1-M3) passes: the clock, payloads, batched
// connects, a peer that never reads, RSS sampling, and the idle-client process of M1. Nothing here
// is measured code: each implementation's server and client live in src/impl/*-net.js.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { bytes } from "./chunks.js";
import { expectCount } from "./memory-harness.js";

/** @import { Socket } from "node:net" */
/** @import { PassResult, Measure } from "./types.js" */

/** Every TCP workload runs on the loopback interface. */
export const HOST = "127.0.0.1";
export const PING = bytes("PING\n");
export const PONG = bytes("PONG\n");
/** "P", "O" and "I": enough to tell PING from PONG without decoding. */
export const P = 0x50;
export const O = 0x4f;
export const I = 0x49;
/** Connections opened at once: below every listen backlog used here (100, asyncio's default). */
export const CONNECT_BATCH = 50;
/** How often the scale workloads sample RSS besides their own events. */
export const SAMPLE_MS = 10;

/** `node --expose-gc` lets each pass start from a collected heap. */
export const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc ?? (() => {});

/**
 * Starts the clock of one pass.
 *
 * @returns {(measure?: Measure) => PassResult} Stops it and returns wall-clock and CPU seconds.
 */
export function startClock() {
  const cpu = process.cpuUsage();
  const start = performance.now();
  return (measure) => {
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return measure === undefined
      ? { seconds, cpuSeconds: (used.user + used.system) / 1e6 }
      : { seconds, cpuSeconds: (used.user + used.system) / 1e6, measure };
  };
}

/**
 * A payload chunk with no newline in it (W4, M2, M3), made once and written again and again.
 *
 * @param {number} size
 * @returns {Uint8Array}
 */
export function payload(size) {
  return new Uint8Array(size).fill(0x78); // "x"
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A promise with its settle functions, for "the server side finished" signals.
 *
 * @template [T=void]
 * @returns {{ promise: Promise<T>, resolve: (value: T) => void, reject: (reason: unknown) => void }}
 */
export function deferred() {
  /** @type {(value: T) => void} */
  let resolve = () => {};
  /** @type {(reason: unknown) => void} */
  let reject = () => {};
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a failure is also awaited by the pass: never unhandled
  return { promise, resolve, reject };
}

/**
 * Opens `count` connections, {@link CONNECT_BATCH} at a time: a burst of connects larger than the
 * listen backlog overflows the accept queue and costs a one-second SYN retry.
 *
 * @template T
 * @param {number} count
 * @param {(index: number) => Promise<T>} open
 * @returns {Promise<T[]>}
 */
export async function inBatches(count, open) {
  /** @type {T[]} */
  const opened = [];
  for (let first = 0; first < count; first += CONNECT_BATCH) {
    const batch = [];
    for (let i = first; i < Math.min(count, first + CONNECT_BATCH); i++) batch.push(open(i));
    opened.push(...(await Promise.all(batch)));
  }
  return opened;
}

/**
 * Waits until `condition()` holds, polling; throws after `timeoutMs`.
 *
 * @param {() => boolean} condition
 * @param {string} what For the error.
 * @param {number} [timeoutMs]
 */
export async function waitUntil(condition, what, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** @returns {number} The resident set size of this process, in bytes. */
export function rss() {
  return process.memoryUsage.rss();
}

/**
 * Tracks the peak RSS of this process over a span: on a timer, and whenever `sample()` is called.
 */
export class RssPeak {
  /** The RSS when the span started (bytes). */
  base;
  /** The highest RSS seen since (bytes). */
  peak;
  #timer;

  constructor() {
    this.base = rss();
    this.peak = this.base;
    this.#timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample() {
    const now = rss();
    if (now > this.peak) this.peak = now;
  }

  /** @returns {number} Growth over the span, in KiB. */
  stop() {
    clearInterval(this.#timer);
    this.sample();
    return (this.peak - this.base) / 1024;
  }
}

/**
 * The open-files limit of this process (the soft limit), or `Infinity` when it cannot be read.
 *
 * @returns {number}
 */
export function fdLimit() {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft !== undefined) return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    // not Linux: ask the shell
  }
  const probe = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
  const value = probe.stdout?.trim();
  return value === undefined || value === "" || value === "unlimited" ? Infinity : Number(value);
}

/** Descriptors kept free for stdio, the listener, the event loop and the runtime itself. */
export const FD_RESERVE = 100;

/**
 * How many idle connections M1 can hold: the request, or what the open-files limit allows (the
 * server and the client process each need one descriptor per connection).
 *
 * @param {number} requested
 * @returns {number}
 */
export function connectionBudget(requested) {
  return Math.max(1, Math.min(requested, fdLimit() - FD_RESERVE));
}

/**
 * A listening peer that never reads until told to: its sockets are accepted paused
 * (`pauseOnConnect`), so Node never reads them and the kernel's buffers fill up (M2).
 *
 * @returns {Promise<{ port: number, accepted: Promise<Socket>, readAll(): Promise<number>, close(): Promise<void> }>}
 *   `readAll()` starts reading and resolves to the bytes received until EOF.
 */
export async function neverReadingPeer() {
  /** @type {ReturnType<typeof deferred<Socket>>} */
  const accepted = deferred();
  const server = createServer({ pauseOnConnect: true }, (socket) => accepted.resolve(socket));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The peer has no TCP port");
  return {
    port: address.port,
    accepted: accepted.promise,
    async readAll() {
      const socket = await accepted.promise;
      return new Promise((resolve, reject) => {
        let received = 0;
        socket.on("data", (chunk) => {
          received += /** @type {Uint8Array} */ (chunk).length;
        });
        socket.once("end", () => {
          socket.end();
          resolve(received);
        });
        socket.once("error", reject);
        socket.resume();
      });
    },
    async close() {
      (await accepted.promise).destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

const IDLE_CLIENT = join(dirname(fileURLToPath(import.meta.url)), "idle-client.js");

/**
 * Starts M1's second process: it opens `count` idle connections to `port` (plain node:net, the
 * same for every Node implementation) and holds them until `close()`, which ends the process (the
 * kernel then sends FIN on each). While it connects, this process reports `accepted()` to it, so
 * that it never runs more than one batch ahead of the server's accepts (see idle-client.js).
 *
 * @param {number} port
 * @param {number} count
 * @param {() => number} accepted How many connections the server has accepted so far.
 * @returns {{ connected: Promise<number>, close(): Promise<void> }}
 */
export function idleClients(port, count, accepted) {
  const child = spawn(process.execPath, [IDLE_CLIENT, "--port", String(port), "--count", String(count)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  /** @type {ReturnType<typeof deferred<number>>} */
  const connected = deferred();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let reported = -1;
  const progress = setInterval(() => {
    const now = accepted();
    if (now !== reported) {
      reported = now;
      child.stdin.write(`${now}\n`);
    }
  }, 1);
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text) => {
    output += text;
    const match = /connected (\d+)/.exec(output);
    if (match !== null) {
      clearInterval(progress);
      connected.resolve(Number(match[1]));
    }
  });
  child.once("exit", (code) => {
    clearInterval(progress);
    connected.reject(new Error(`The idle-client process exited early (code ${code})`));
  });
  return {
    connected: connected.promise,
    async close() {
      clearInterval(progress);
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * M1's measurement, the same for every Node implementation: opens `count` idle connections from
 * second processes (half, then the rest, each half its own idle-client process) and reads the
 * server's RSS and JS heap after a full GC at three points: before, at half and at all.
 *
 * - `kibPerConnection`: growth from before to all, over `count` (the headline figure). It holds
 *   one-time growth too: V8 enlarges the young generation while the connections' objects survive
 *   scavenges, and the process's first pages of socket state.
 * - `marginalKiB`: growth from half to all, over the second half: what one more idle connection
 *   costs once the process is warm (the slope).
 *
 * @param {number} port The server's port.
 * @param {number} count Connections to hold.
 * @param {() => number} accepted How many connections the server has accepted so far.
 * @param {Promise<unknown>} [failed] Rejects when the server fails: waiting stops with its error.
 * @returns {Promise<{ result: PassResult, close(): Promise<void> }>} `close()` ends both client
 *   processes (the kernel sends FIN on each connection).
 */
export async function holdIdleConnections(port, count, accepted, failed) {
  const half = Math.floor(count / 2);
  /**
   * @param {number} n Connections the server should have accepted.
   * @returns {Promise<unknown>}
   */
  const acceptedAll = (n) => {
    const waiting = waitUntil(() => accepted() === n, `${n} server connections`);
    return failed === undefined ? waiting : Promise.race([waiting, failed]);
  };
  /** @returns {{ rss: number, heap: number }} */
  const sample = () => {
    gc();
    return { rss: rss(), heap: process.memoryUsage().heapUsed };
  };
  const base = sample();
  const stop = startClock();
  const first = idleClients(port, half, accepted);
  expectCount("M1 connections opened by the first client process", await first.connected, half);
  await acceptedAll(half);
  const middle = sample();
  const second = idleClients(port, count - half, () => accepted() - half);
  expectCount("M1 connections opened by the second client process", await second.connected, count - half);
  await acceptedAll(count);
  const timing = stop();
  const end = sample();
  return {
    result: {
      ...timing,
      measure: {
        kibPerConnection: (end.rss - base.rss) / 1024 / count,
        marginalKiB: count - half === 0 ? Number.NaN : (end.rss - middle.rss) / 1024 / (count - half),
        connections: count,
        rssGrowthKiB: (end.rss - base.rss) / 1024,
        heapGrowthKiB: (end.heap - base.heap) / 1024,
        heapMarginalKiB: count - half === 0 ? Number.NaN : (end.heap - middle.heap) / 1024 / (count - half),
      },
    },
    async close() {
      await Promise.all([first.close(), second.close()]);
    },
  };
}
