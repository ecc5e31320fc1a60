// @ts-check
// asyncstreams over TCP: openConnection() and startServer() from @asyncstreams/net, imported the
// way users import them (the built dist: run `pnpm build` first), with their defaults (noDelay on,
// 64 KiB write high-water mark, reader limit 64 KiB).
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { openConnection, startServer } from "@asyncstreams/net";
import { expectCount } from "../lib/memory-harness.js";
import { asyncstreamsWs1 } from "./websocket-lines.js";
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

/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */
/** @import { Server, SocketTransport } from "@asyncstreams/net" */
/** @typedef {Awaited<ReturnType<typeof openConnection>>} Streams */
/** @typedef {Parameters<typeof startServer>[0]} OnClient */

/**
 * Starts a server on 127.0.0.1 (a free port) whose client-callback failures fail the pass.
 *
 * @param {OnClient} onClient
 * @param {{ reject(reason: unknown): void }} failure
 * @param {number} limit The reader limit of accepted connections.
 * @returns {Promise<{ server: Server, port: number }>}
 */
async function serve(onClient, failure, limit) {
  const server = await startServer(onClient, { host: HOST, port: 0, limit, onError: (error) => failure.reject(error) });
  const address = server.addresses()[0];
  if (address === undefined || typeof address === "string") throw new Error("The server has no TCP port");
  return { server, port: address.port };
}

/**
 * Closes client connections, then the server, and waits for all of it.
 *
 * @param {Server} server
 * @param {readonly Streams[]} clients
 */
async function shutDown(server, clients) {
  for (const { writer } of clients) writer.close();
  await Promise.all(clients.map(({ writer }) => writer.waitClosed()));
  server.close();
  await server.waitClosed();
}

/**
 * W4: 64 KiB write() + drain() to EOF; the server reads with read(65536).
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
  const { server, port } = await serve(
    async (reader, writer) => {
      for (;;) {
        const data = await reader.read(65_536);
        if (data.length === 0) break;
        received += data.length;
      }
      done.resolve();
      writer.close();
    },
    done,
    params.limit,
  );
  const client = await openConnection({ host: HOST, port, limit: params.limit });
  const { writer } = client;
  const stop = startClock();
  for (let sent = 0; sent < size; sent += chunkSize) {
    writer.write(chunk);
    await writer.drain();
  }
  writer.writeEof();
  await done.promise;
  const result = stop();
  expectCount("W4 bytes received", received, size);
  expectCount("W4 bytes sent back", (await client.reader.read()).length, 0);
  await shutDown(server, [client]);
  return result;
}

/**
 * W5 and W6: `connections` clients, each `roundTrips` times PING + drain, then readLine(); the
 * server answers each line with PONG + drain.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function pingPong(params) {
  const connections = params.connections ?? 1;
  const roundTrips = params.roundTrips ?? 0;
  const done = deferred();
  let pings = 0;
  let badPings = 0;
  let ended = 0;
  const { server, port } = await serve(
    async (reader, writer) => {
      for (;;) {
        const line = await reader.readLine();
        if (line.length === 0) break;
        if (line.length !== 5 || line[1] !== I) badPings++;
        pings++;
        writer.write(PONG);
        await writer.drain();
      }
      writer.close();
      if (++ended === connections) done.resolve();
    },
    done,
    params.limit,
  );
  const clients = await inBatches(connections, () => openConnection({ host: HOST, port, limit: params.limit }));
  let pongs = 0;
  let badPongs = 0;
  const stop = startClock();
  await Promise.all(
    clients.map(async ({ reader, writer }) => {
      for (let i = 0; i < roundTrips; i++) {
        writer.write(PING);
        await writer.drain();
        const line = await reader.readLine();
        if (line.length !== 5 || line[1] !== O) badPongs++;
        pongs++;
      }
    }),
  );
  const result = stop();
  for (const { writer } of clients) writer.writeEof();
  await done.promise;
  expectCount("round trips answered by the server", pings, connections * roundTrips);
  expectCount("round trips completed by the clients", pongs, connections * roundTrips);
  expectCount("malformed PING lines", badPings, 0);
  expectCount("malformed PONG lines", badPongs, 0);
  for (const { reader } of clients) expectCount("bytes after the last PONG", (await reader.read()).length, 0);
  await shutDown(server, clients);
  return result;
}

/**
 * M1: idle connections from a second process; each server connection waits in readLine().
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m1(params) {
  const requested = params.connections ?? 0;
  const count = connectionBudget(requested);
  const failure = deferred();
  let open = 0;
  let ended = 0;
  let unexpected = 0;
  const { server, port } = await serve(
    async (reader, writer) => {
      open++;
      const line = await reader.readLine();
      if (line.length !== 0) unexpected++;
      ended++;
      writer.close();
    },
    failure,
    params.limit,
  );
  const held = await holdIdleConnections(port, count, () => open, failure.promise);
  await held.close();
  await Promise.race([waitUntil(() => ended === count, `EOF on ${count} server connections`), failure.promise]);
  expectCount("M1 idle connections that received data", unexpected, 0);
  server.close();
  await server.waitClosed();
  return { ...held.result, measure: { ...held.result.measure, fdLimited: count < requested ? 1 : 0 } };
}

/**
 * M2: write(64 KiB) + drain() for `durationMs` to a peer that never reads.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m2(params) {
  const chunkSize = params.chunk ?? 65_536;
  const chunk = payload(chunkSize);
  const peer = await neverReadingPeer();
  const client = await openConnection({ host: HOST, port: peer.port, limit: params.limit });
  const { writer } = client;
  const transport = /** @type {SocketTransport} */ (writer.transport);
  const bound = transport.getWriteBufferLimits().high + chunkSize;
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
    writer.write(chunk);
    written += chunkSize;
    const buffered = transport.getWriteBufferSize();
    if (buffered > peak) peak = buffered;
    memory.sample();
    try {
      await writer.drain({ signal: AbortSignal.timeout(remaining) });
    } catch (error) {
      if (/** @type {{ name?: unknown }} */ (error)?.name === "TimeoutError") break;
      throw error;
    }
  }
  const result = stop();
  const rssGrowthKiB = memory.stop();
  const received = peer.readAll();
  await writer.drain();
  writer.writeEof();
  expectCount("M2 bytes received by the peer", await received, written);
  if (peak > bound)
    throw new Error(`M2 write buffer not bounded: peak ${peak} bytes, high-water mark + one write = ${bound}`);
  expectCount("M2 bytes sent back", (await client.reader.read()).length, 0);
  writer.close();
  await writer.waitClosed();
  await peer.close();
  return {
    ...result,
    measure: { peakWriteBufferKiB: peak / 1024, boundKiB: bound / 1024, rssGrowthKiB, writtenKiB: written / 1024 },
  };
}

/**
 * M3: `size` bytes without a newline to a readLine() loop. With `overflow` "error" (asyncio's
 * rule, the M3 row) each overrun is caught and the loop goes on; "skip" discards the whole line
 * with no error; "chunk" returns it in `limit`-sized pieces (the M3-skip and M3-chunk rows).
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
async function m3(params) {
  const size = params.size ?? 0;
  const limit = params.limit;
  const overflow = params.overflow ?? "error";
  const chunkSize = params.chunk ?? 65_536;
  const chunk = payload(chunkSize);
  const done = deferred();
  let fed = 0;
  let peak = 0;
  let maxChunk = 0;
  let overruns = 0;
  let lines = 0;
  let returned = 0;
  let badLines = 0;
  let skipped = 0;
  const { server, port } = await serve(
    async (reader, writer) => {
      // The reader's own count after every feed: the peak is exact, whatever the policy discards.
      const feedData = reader.feedData.bind(reader);
      reader.feedData = (data) => {
        feedData(data);
        fed += data.length;
        if (reader.bufferedLength > peak) peak = reader.bufferedLength;
        if (data.length > maxChunk) maxChunk = data.length;
      };
      for (;;) {
        let line;
        try {
          line = await reader.readLine({ overflow });
        } catch (error) {
          if (/** @type {{ code?: unknown }} */ (error)?.code !== "ERR_LIMIT_OVERRUN") throw error;
          overruns++;
          continue;
        }
        if (line.length === 0) break;
        lines++;
        returned += line.length;
        // memchr: Uint8Array#includes walks byte by byte, and would dominate M3-chunk's 64 KiB pieces.
        if (Buffer.prototype.indexOf.call(line, 10) !== -1) badLines++;
      }
      skipped = reader.skippedCount;
      done.resolve();
      writer.close();
    },
    done,
    limit,
  );
  const client = await openConnection({ host: HOST, port, limit });
  const { writer } = client;
  gc();
  const memory = new RssPeak(); // on its timer only: one RSS read costs tens of µs
  const stop = startClock();
  for (let sent = 0; sent < size; sent += chunkSize) {
    writer.write(chunk);
    await writer.drain();
  }
  writer.writeEof();
  await done.promise;
  const result = stop();
  const rssGrowthKiB = memory.stop();
  expectCount("M3 bytes fed to the reader", fed, size);
  expectCount("M3 lines with a newline", badLines, 0);
  if (overflow === "error") {
    if (lines > 1) throw new Error(`M3 returned ${lines} lines: expected only the final partial one`);
    if (size > 2 * limit && overruns === 0) throw new Error("M3 never overran the limit");
  } else if (overflow === "skip") {
    expectCount("M3-skip lines returned", lines, 0);
    expectCount("M3-skip lines skipped", skipped, size > limit ? 1 : 0);
  } else {
    expectCount("M3-chunk bytes returned", returned, size);
    expectCount("M3-chunk pieces", lines, Math.ceil(size / limit));
  }
  if (peak > 2 * limit + maxChunk)
    throw new Error(
      `M3 reader buffer not bounded: peak ${peak} bytes > 2 × limit + one chunk (${2 * limit + maxChunk})`,
    );
  expectCount("M3 bytes sent back", (await client.reader.read()).length, 0);
  await shutDown(server, [client]);
  const events = overflow === "error" ? overruns : overflow === "skip" ? skipped : lines;
  return {
    ...result,
    measure: {
      peakReaderBufferKiB: peak / 1024,
      rssGrowthKiB,
      overruns: events,
      megabytesPerSecond: size / result.seconds / 1e6,
    },
  };
}

/** @type {NetImpl} */
export const asyncstreamsNet = {
  name: "asyncstreams",
  passes: { W4: w4, W5: pingPong, W6: pingPong, M1: m1, M2: m2, M3: m3, WS1: asyncstreamsWs1 },
};
