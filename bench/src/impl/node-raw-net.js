// @ts-check
// node-raw over TCP: the anchor, what a Node.js developer writes by hand with plain node:net and no
// library: 'data' events, manual newline splitting (a chunk list, native indexOf, one copy only
// when a line spans chunks, a length limit), `write()` and 'drain' when write() returns false. The
// server side is callback code with no await per line; the client side, which must wait for each
// answer, has one waiter promise that the 'data' handler resolves.
import { Buffer } from "node:buffer";
import { connect, createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { expectCount } from "../lib/memory-harness.js";
import { nodeRawWs1 } from "./websocket-lines.js";
import {
  HOST,
  I,
  O,
  PING,
  PONG,
  RssPeak,
  connectionBudget,
  deferred,
  gc,
  holdIdleConnections,
  inBatches,
  neverReadingPeer,
  payload,
  startClock,
  waitUntil,
} from "../lib/net-harness.js";

/** @import { Server, Socket } from "node:net" */
/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */

const EMPTY = Buffer.alloc(0);

/**
 * Manual newline splitting over 'data' chunks: `onLine(line)` for each complete line, "\n"
 * included (a zero-copy view when the line lies in one chunk, one copy when it spans chunks).
 * When more than `limit` bytes are pending without a newline they are discarded and `onOverrun()`
 * is called, as a server that must not buffer without bound would do.
 */
export class LineSplitter {
  /** @type {Buffer[]} */
  #parts = [];
  /** Bytes pending in `#parts`: the start of a line whose newline has not arrived. */
  pending = 0;
  /** The most bytes ever pending (M3's "reader buffer"). */
  peak = 0;
  #limit;
  #onLine;
  #onOverrun;

  /**
   * @param {number} limit
   * @param {(line: Buffer) => void} onLine
   * @param {() => void} [onOverrun] Default: throw.
   */
  constructor(limit, onLine, onOverrun) {
    this.#limit = limit;
    this.#onLine = onLine;
    this.#onOverrun =
      onOverrun ??
      (() => {
        throw new RangeError(`Line longer than the limit (${limit})`);
      });
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      let line = chunk.subarray(start, end + 1);
      if (this.pending > 0) {
        line = Buffer.concat([...this.#parts, line], this.pending + line.length);
        this.#parts = [];
        this.pending = 0;
      }
      this.#onLine(line);
      start = end + 1;
    }
    if (start < chunk.length) {
      this.#parts.push(start === 0 ? chunk : chunk.subarray(start));
      this.pending += chunk.length - start;
      if (this.pending > this.peak) this.peak = this.pending;
      if (this.pending > this.#limit) {
        this.#parts = [];
        this.pending = 0;
        this.#onOverrun();
      }
    }
  }

  /** @returns {Buffer} The unterminated rest at EOF (maybe empty). */
  end() {
    const rest = this.pending === 0 ? EMPTY : Buffer.concat(this.#parts, this.pending);
    this.#parts = [];
    this.pending = 0;
    return rest;
  }
}

/**
 * An awaitable line reader over a client socket: the 'data' handler splits lines and hands each
 * to the waiting `readLine()`, or queues it.
 */
export class LineClient {
  /** @type {Buffer[]} */
  #lines = [];
  /** @type {((line: Buffer) => void) | null} */
  #waiter = null;
  #ended = false;

  /**
   * @param {Socket} socket
   * @param {number} limit
   */
  constructor(socket, limit) {
    this.socket = socket;
    const splitter = new LineSplitter(limit, (line) => this.#deliver(line));
    socket.on("data", (chunk) => splitter.push(chunk));
    socket.on("end", () => {
      const rest = splitter.end();
      if (rest.length > 0) this.#deliver(rest);
      this.#ended = true;
      this.#deliver(EMPTY);
    });
  }

  /** @param {Buffer} line */
  #deliver(line) {
    const waiter = this.#waiter;
    if (waiter === null) this.#lines.push(line);
    else {
      this.#waiter = null;
      waiter(line);
    }
  }

  /** @returns {Promise<Buffer>} The next line; empty at EOF. */
  readLine() {
    if (this.#lines.length > 0) return Promise.resolve(/** @type {Buffer} */ (this.#lines.shift()));
    if (this.#ended) return Promise.resolve(EMPTY);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /**
   * `write()`, then waits for 'drain' only when write() returned false.
   *
   * @param {Uint8Array} data
   * @returns {Promise<void> | undefined}
   */
  write(data) {
    return this.socket.write(data) ? undefined : drained(this.socket);
  }
}

/**
 * @param {Socket} socket
 * @returns {Promise<void>}
 */
export function drained(socket) {
  return new Promise((resolve) => socket.once("drain", resolve));
}

/**
 * @param {number} port
 * @returns {Promise<Socket>}
 */
export function connectRaw(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, noDelay: true });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });
}

/**
 * Listens on 127.0.0.1 (a free port) with noDelay on accepted sockets.
 *
 * @param {(socket: Socket) => void} onConnection
 * @returns {Promise<{ server: Server, port: number }>}
 */
export async function listenRaw(onConnection) {
  const server = createServer({ noDelay: true }, onConnection);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: HOST, port: 0, backlog: 100 }, () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The server has no TCP port");
  return { server, port: address.port };
}

/**
 * Closes sockets, then the server, and waits for all of it.
 *
 * @param {Server} server
 * @param {readonly Socket[]} sockets
 */
export async function closeRaw(server, sockets) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          if (socket.closed) resolve(undefined);
          else {
            socket.once("close", resolve);
            socket.destroy();
          }
        }),
    ),
  );
  await new Promise((resolve) => server.close(resolve));
}

/**
 * W5 and W6 with node-raw clients against any server: the node-raw one, or node:readline's.
 *
 * @param {WorkloadParams} params
 * @param {(
 *   done: ReturnType<typeof deferred<void>>,
 *   counts: { pings: number, badPings: number },
 * ) => Promise<{ server: Server, port: number }>} startPingServer
 * @returns {Promise<PassResult>}
 */
export async function rawPingPongClients(params, startPingServer) {
  const connections = params.connections ?? 1;
  const roundTrips = params.roundTrips ?? 0;
  const done = deferred();
  const counts = { pings: 0, badPings: 0 };
  const { server, port } = await startPingServer(done, counts);
  const sockets = await inBatches(connections, () => connectRaw(port));
  const clients = sockets.map((socket) => new LineClient(socket, params.limit));
  let pongs = 0;
  let badPongs = 0;
  const stop = startClock();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < roundTrips; i++) {
        await client.write(PING);
        const line = await client.readLine();
        if (line.length !== 5 || line[1] !== O) badPongs++;
        pongs++;
      }
    }),
  );
  const result = stop();
  for (const socket of sockets) socket.end();
  await done.promise;
  expectCount("round trips answered by the server", counts.pings, connections * roundTrips);
  expectCount("round trips completed by the clients", pongs, connections * roundTrips);
  expectCount("malformed PING lines", counts.badPings, 0);
  expectCount("malformed PONG lines", badPongs, 0);
  for (const client of clients) expectCount("bytes after the last PONG", (await client.readLine()).length, 0);
  await closeRaw(server, sockets);
  return result;
}

/**
 * W4: 64 KiB write() (+ 'drain' when it returns false) to end(); the server counts 'data' bytes.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function w4(params) {
  const size = params.size ?? 0;
  const chunkSize = params.chunk ?? 65_536;
  const chunk = payload(chunkSize);
  const done = deferred();
  let received = 0;
  const { server, port } = await listenRaw((socket) => {
    socket.on("data", (data) => {
      received += /** @type {Buffer} */ (data).length;
    });
    socket.once("end", () => {
      done.resolve();
      socket.end();
    });
    socket.once("error", done.reject);
  });
  const socket = await connectRaw(port);
  const stop = startClock();
  for (let sent = 0; sent < size; sent += chunkSize) {
    if (!socket.write(chunk)) await drained(socket);
  }
  socket.end();
  await done.promise;
  const result = stop();
  expectCount("W4 bytes received", received, size);
  await closeRaw(server, [socket]);
  return result;
}

/**
 * W5 and W6: the node-raw server answers each line from its 'data' handler.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
function pingPong(params) {
  const connections = params.connections ?? 1;
  return rawPingPongClients(params, (done, counts) => {
    let ended = 0;
    return listenRaw((socket) => {
      const splitter = new LineSplitter(params.limit, (line) => {
        if (line.length !== 5 || line[1] !== I) counts.badPings++;
        counts.pings++;
        if (!socket.write(PONG)) {
          socket.pause();
          socket.once("drain", () => socket.resume());
        }
      });
      socket.on("data", (chunk) => splitter.push(chunk));
      socket.once("end", () => {
        socket.end();
        if (++ended === connections) done.resolve();
      });
      socket.once("error", done.reject);
    });
  });
}

/**
 * M1: idle connections from a second process; each server socket has its 'data' line splitter.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m1(params) {
  const requested = params.connections ?? 0;
  const count = connectionBudget(requested);
  let open = 0;
  let ended = 0;
  let unexpected = 0;
  const { server, port } = await listenRaw((socket) => {
    open++;
    const splitter = new LineSplitter(params.limit, () => unexpected++);
    socket.on("data", (chunk) => splitter.push(chunk));
    socket.once("end", () => {
      ended++;
      socket.end();
    });
    socket.on("error", () => {});
  });
  const held = await holdIdleConnections(port, count, () => open);
  await held.close();
  await waitUntil(() => ended === count, `EOF on ${count} server connections`);
  expectCount("M1 idle connections that received data", unexpected, 0);
  await new Promise((resolve) => server.close(resolve));
  return { ...held.result, measure: { ...held.result.measure, fdLimited: count < requested ? 1 : 0 } };
}

/**
 * M2: write(64 KiB), and 'drain' when write() returns false, for `durationMs` to a peer that never
 * reads.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m2(params) {
  const chunkSize = params.chunk ?? 65_536;
  const chunk = payload(chunkSize);
  const peer = await neverReadingPeer();
  const socket = await connectRaw(peer.port);
  const bound = socket.writableHighWaterMark + chunkSize;
  await peer.accepted;
  gc();
  const memory = new RssPeak();
  const stop = startClock();
  const deadline = performance.now() + (params.durationMs ?? 0);
  let written = 0;
  let peak = 0;
  for (;;) {
    const remaining = Math.ceil(deadline - performance.now());
    if (remaining <= 0) break;
    const ok = socket.write(chunk);
    written += chunkSize;
    if (socket.writableLength > peak) peak = socket.writableLength;
    memory.sample();
    if (!ok && !(await drainedWithin(socket, remaining))) break;
  }
  const result = stop();
  const rssGrowthKiB = memory.stop();
  const received = peer.readAll();
  socket.end();
  expectCount("M2 bytes received by the peer", await received, written);
  if (peak > bound)
    throw new Error(`M2 write buffer not bounded: peak ${peak} bytes, high-water mark + one write = ${bound}`);
  socket.destroy();
  await peer.close();
  return {
    ...result,
    measure: { peakWriteBufferKiB: peak / 1024, boundKiB: bound / 1024, rssGrowthKiB, writtenKiB: written / 1024 },
  };
}

/**
 * @param {Socket} socket
 * @param {number} ms
 * @returns {Promise<boolean>} Whether 'drain' came before the time ran out.
 */
function drainedWithin(socket, ms) {
  return new Promise((resolve) => {
    const onDrain = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      socket.off("drain", onDrain);
      resolve(false);
    }, ms);
    socket.once("drain", onDrain);
  });
}

/**
 * M3: `size` bytes without a newline to the 'data' line splitter, which discards what exceeds the
 * limit.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m3(params) {
  const size = params.size ?? 0;
  const limit = params.limit;
  const chunkSize = params.chunk ?? 65_536;
  const chunk = payload(chunkSize);
  const done = deferred();
  let fed = 0;
  let maxChunk = 0;
  let overruns = 0;
  let lines = 0;
  let badLines = 0;
  /** @type {LineSplitter | null} */
  let splitter = null;
  const { server, port } = await listenRaw((socket) => {
    const lineSplitter = new LineSplitter(
      limit,
      () => {
        lines++;
        badLines++; // the stream has no newline
      },
      () => {
        overruns++;
      },
    );
    splitter = lineSplitter;
    socket.on("data", (/** @type {Buffer} */ data) => {
      fed += data.length;
      if (data.length > maxChunk) maxChunk = data.length;
      lineSplitter.push(data);
    });
    socket.once("end", () => {
      if (lineSplitter.end().length > 0) lines++;
      done.resolve();
      socket.end();
    });
    socket.once("error", done.reject);
  });
  const socket = await connectRaw(port);
  gc();
  const memory = new RssPeak(); // on its timer only: one RSS read costs tens of µs
  const stop = startClock();
  for (let sent = 0; sent < size; sent += chunkSize) {
    if (!socket.write(chunk)) await drained(socket);
  }
  socket.end();
  await done.promise;
  const result = stop();
  const rssGrowthKiB = memory.stop();
  const peak = /** @type {LineSplitter} */ (/** @type {unknown} */ (splitter)).peak;
  expectCount("M3 bytes received", fed, size);
  expectCount("M3 lines with a newline", badLines, 0);
  if (lines > 1) throw new Error(`M3 returned ${lines} lines: expected only the final partial one`);
  if (size > 2 * limit && overruns === 0) throw new Error("M3 never overran the limit");
  if (peak > limit + maxChunk)
    throw new Error(`M3 reader buffer not bounded: peak ${peak} bytes > limit + one chunk (${limit + maxChunk})`);
  await closeRaw(server, [socket]);
  return {
    ...result,
    measure: {
      peakReaderBufferKiB: peak / 1024,
      rssGrowthKiB,
      overruns,
      megabytesPerSecond: size / result.seconds / 1e6,
    },
  };
}

/** @type {NetImpl} */
export const nodeRawNet = {
  name: "node-raw",
  passes: { W4: w4, W5: pingPong, W6: pingPong, M1: m1, M2: m2, M3: m3, WS1: nodeRawWs1 },
};
