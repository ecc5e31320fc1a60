// @ts-check
// The server side of `pnpm test:load`, run in its own process: node scripts/load/server.mjs <mode> [arg]
//   echo      readLine() echo, for the pipelined-lines run (T2), latency (T3) and fd exhaustion (T10)
//   deadline  the same, but each readLine() has AbortSignal.timeout(arg ms); on timeout the connection is closed (T6)
//   hold      reads until EOF and holds the connection meanwhile: idle connections (T1); arg = listen backlog
//             (default 511)
//   writer    writes 64 KiB + drain() forever to each client; a drain() pending 100 ms counts as parked (T4)
//   longline  readLine() with limit 64 KiB until EOF, sampling reader.bufferedLength (and each overrun's
//             `consumed`: the buffer just before it is discarded) and RSS (T5)
//   discard   a plain node:net server that drops what it reads, no asyncstreams: the floor for T5's RSS
//   burst     the echo server with startServer()'s default options (default listen backlog), for the
//             connect burst
//   node-burst a plain node:net line echo server with Node's defaults (listen backlog 511), the burst's baseline
//   tls-stall TLS server with the default backlog and handshakeTimeout = arg ms; the storm's clients never
//             send a ClientHello (T8); a client that does gets its first line echoed
//   node-tls-stall Node's own tls.createServer({ handshakeTimeout: arg }), for T8's baseline (each socket's
//             close counts as its handshake error; a tlsClientError listener would stop Node closing it)
//   tls-close TLS server that writes 4 MiB to a client that never reads, then close(); shutdownTimeout = arg ms (T9)
//   hostile  the deadline echo (arg ms per readLine()) at the default limit of 64 KiB, counting how each
//            connection ended: deadline (shed), LimitOverrunError (overruns), reset or other error (resets) (S5)
//   tls-hold TLS echo server (backlog 511), handshakeTimeout = arg ms, for TLS hold and handshake churn (S6)
//   shutdown the echo server for shutdown under load (S7): each connection reports its lines read and
//            answered (written before closeClients()); stdin "shutdown <ms>" calls close(), closeClients()
//            <ms> later, and reports how long waitClosed() took after it; unhandled rejections are counted
// Prints one JSON line {"port": n} once listening, then one JSON line per event worth counting.
// A line on stdin asks for stats (except "shutdown <ms>", see the shutdown mode): one JSON line with
// "shed" and the mode's figures (rss in bytes, after a GC when run with --expose-gc; peak and rssPeak
// since the previous request). The end of stdin closes the server and exits.
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createNodeTlsServer } from "node:tls";
import { startServer } from "../../packages/net/dist/index.js";
import { startServer as startTlsServer } from "../../packages/tls/dist/index.js";

const mode = process.argv[2] ?? "echo";
const arg = Number(process.argv[3] ?? 1_000);
const certs = new URL("../../examples/demo/certs/", import.meta.url);
let shed = 0;
let errors = 0;
let connections = 0;
let parked = 0;
let peak = 0;
let rssPeak = 0;
let overruns = 0;
let resets = 0;
let served = 0;
let partial = 0;
let unhandled = 0;
/** @type {number[]} */
const handshakeErrorsAt = [];

/** @param {unknown} message */
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);

/**
 * @param {import("../../packages/reader/dist/index.js").StreamReader} reader
 * @param {import("../../packages/writer/dist/index.js").StreamWriter} writer
 */
async function echo(reader, writer) {
  connections++;
  served++;
  try {
    for (;;) {
      const signal = mode === "deadline" || mode === "hostile" ? AbortSignal.timeout(arg) : undefined;
      const line = await reader.readLine({ signal });
      if (line.length === 0) break;
      // A partial line is what readLine() returns at EOF: a peer that ended mid-line (S5 counts those).
      if (line.at(-1) !== 0x0a) partial++;
      writer.write(line);
      await writer.drain();
    }
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") shed++;
    else if (/** @type {{ code?: unknown }} */ (error)?.code === "ERR_LIMIT_OVERRUN") overruns++;
    else resets++;
  } finally {
    connections--;
    writer.close();
  }
}

/**
 * S7's echo: the same loop, reporting per connection (the client's id is the first word of each
 * line) the lines read and the lines answered while the writer was still open.
 * @param {import("../../packages/reader/dist/index.js").StreamReader} reader
 * @param {import("../../packages/writer/dist/index.js").StreamWriter} writer
 */
async function shutdownEcho(reader, writer) {
  let id = "";
  let read = 0;
  let answered = 0;
  let error = "";
  connections++;
  try {
    for (;;) {
      const line = await reader.readLine();
      if (line.length === 0) break;
      read++;
      if (id === "") id = new TextDecoder().decode(line.subarray(0, line.indexOf(0x20)));
      // After closeClients() asyncio drops writes; those lines were read too late to be in flight.
      if (writer.isClosing()) continue;
      writer.write(line);
      answered++;
      await writer.drain();
    }
  } catch (caught) {
    error = String(/** @type {{ code?: unknown }} */ (caught)?.code ?? caught);
  } finally {
    connections--;
    writer.close();
    say({ event: "conn", id, read, answered, error });
  }
}

/** @typedef {import("../../packages/reader/dist/index.js").StreamReader} StreamReader */
/** @typedef {import("../../packages/writer/dist/index.js").StreamWriter} StreamWriter */
/** @type {Record<string, (reader: StreamReader, writer: StreamWriter) => Promise<void>>} */
const handlers = {
  echo,
  deadline: echo,
  burst: echo,
  hostile: echo,
  "tls-hold": echo,
  shutdown: shutdownEcho,
  async hold(reader, writer) {
    connections++;
    try {
      await reader.read();
    } catch {
      // a reset client
    } finally {
      connections--;
      writer.close();
    }
  },
  async writer(_reader, writer) {
    connections++;
    const chunk = new Uint8Array(64 * 1024);
    let isParked = false;
    try {
      for (;;) {
        writer.write(chunk);
        const drained = writer.drain();
        const first = await Promise.race([drained.then(() => true), sleep(100).then(() => false)]);
        if (!first && !isParked) {
          isParked = true;
          parked++;
        }
        await drained;
      }
    } catch {
      // the client went away
    } finally {
      if (isParked) parked--;
      connections--;
      writer.close();
    }
  },
  async longline(reader, writer) {
    const started = performance.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, reader.bufferedLength);
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    /** @type {string[]} */
    const lines = [];
    let mine = 0;
    for (;;) {
      try {
        const line = await reader.readLine();
        peak = Math.max(peak, reader.bufferedLength);
        if (line.length === 0) break;
        lines.push(line.length > 16 ? `${line.length} bytes` : new TextDecoder().decode(line));
      } catch (error) {
        if (/** @type {{ code?: unknown }} */ (error).code !== "ERR_LIMIT_OVERRUN") throw error;
        // "not found": consumed is everything that was buffered when the limit check failed, the peak
        // between two samples (the bytes are then discarded, as asyncio does).
        peak = Math.max(peak, /** @type {{ consumed: number }} */ (error).consumed);
        mine++;
        overruns++;
      }
    }
    sampling = false;
    await sampler;
    say({
      event: "longline",
      bytes: reader.bytesReceived,
      overruns: mine,
      seconds: (performance.now() - started) / 1000,
      lines,
    });
    writer.close();
  },
  async "tls-stall"(reader, writer) {
    // Only the probe after the storm gets here: one line echoed.
    writer.write(await reader.readLine());
    writer.close();
  },
  async "tls-close"(reader, writer) {
    connections++;
    writer.write(new Uint8Array(4 * 1024 * 1024));
    // Wait until our data has filled the client's buffers: it never reads.
    await Promise.race([writer.drain(), sleep(200)]);
    const closing = performance.now();
    writer.close();
    const outcome = await writer.waitClosed().then(
      () => "resolved",
      (/** @type {unknown} */ error) => String(/** @type {{ code?: unknown }} */ (error)?.code ?? error),
    );
    say({ event: "closed", ms: performance.now() - closing, outcome });
    void reader;
  },
};

/** @type {import("../../packages/net/dist/index.js").ServerErrorHandler} */
const onError = (error, context) => {
  errors++;
  const code = /** @type {{ code?: unknown }} */ (error)?.code;
  say({ event: "error", message: context.message, code: typeof code === "string" ? code : String(error) });
};

/**
 * Starts the server of this mode on 127.0.0.1:0.
 * @returns {Promise<{
 *   port: number | undefined, close(): void, server?: import("../../packages/net/dist/index.js").Server,
 * }>}
 */
async function listen() {
  if (mode === "discard") {
    const plain = createServer((socket) => {
      const started = performance.now();
      let bytes = 0;
      socket.on("error", () => undefined);
      socket.on("data", (/** @type {Buffer} */ chunk) => {
        bytes += chunk.length;
      });
      socket.on("end", () => {
        say({
          event: "longline",
          bytes,
          overruns: 0,
          seconds: (performance.now() - started) / 1000,
          lines: ["hello\n"],
        });
        socket.end();
      });
    });
    await new Promise((resolve) => plain.listen(0, "127.0.0.1", () => resolve(undefined)));
    setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 1);
    return { port: /** @type {import("node:net").AddressInfo} */ (plain.address()).port, close: () => plain.close() };
  }
  if (mode === "node-tls-stall") {
    const plain = createNodeTlsServer(
      {
        key: readFileSync(new URL("server-key.pem", certs)),
        cert: readFileSync(new URL("server.pem", certs)),
        handshakeTimeout: arg,
      },
      (socket) => {
        socket.once("data", (/** @type {Buffer} */ chunk) => socket.end(chunk));
      },
    );
    plain.on("connection", (/** @type {import("node:net").Socket} */ socket) => {
      socket.once("close", () => {
        handshakeErrorsAt.push(performance.now() + performance.timeOrigin);
      });
    });
    await new Promise((resolve) => plain.listen(0, "127.0.0.1", () => resolve(undefined)));
    return { port: /** @type {import("node:net").AddressInfo} */ (plain.address()).port, close: () => plain.close() };
  }
  if (mode === "node-burst") {
    const plain = createServer((socket) => {
      socket.setNoDelay(true);
      socket.on("error", () => undefined);
      let pending = "";
      socket.on("data", (/** @type {Buffer} */ chunk) => {
        pending += chunk.toString("latin1");
        let end;
        while ((end = pending.indexOf("\n")) !== -1) {
          socket.write(pending.slice(0, end + 1), "latin1");
          pending = pending.slice(end + 1);
        }
      });
      socket.on("end", () => socket.end());
    });
    await new Promise((resolve) => plain.listen(0, "127.0.0.1", () => resolve(undefined)));
    return { port: /** @type {import("node:net").AddressInfo} */ (plain.address()).port, close: () => plain.close() };
  }
  const handler = handlers[mode];
  if (handler === undefined) throw new Error(`Unknown mode ${mode}`);
  const tls = mode.startsWith("tls-")
    ? { key: readFileSync(new URL("server-key.pem", certs)), cert: readFileSync(new URL("server.pem", certs)) }
    : undefined;
  const server =
    tls === undefined
      ? mode === "burst"
        ? await startServer(handler, { host: "127.0.0.1", port: 0, onError })
        : await startServer(handler, {
            host: "127.0.0.1",
            port: 0,
            backlog: mode === "hold" && process.argv[3] !== undefined ? arg : 511,
            noDelay: true,
            limit: mode === "longline" ? 64 * 1024 : undefined,
            onError,
          })
      : await startTlsServer(handler, {
          host: "127.0.0.1",
          port: 0,
          ...(mode === "tls-stall" ? {} : { backlog: 511 }),
          tls,
          handshakeTimeout: mode === "tls-stall" || mode === "tls-hold" ? arg : 10_000,
          shutdownTimeout: mode === "tls-close" ? arg : undefined,
          onHandshakeError: (/** @type {unknown} */ error) => {
            handshakeErrorsAt.push(performance.now() + performance.timeOrigin);
            // Which failure: the held TLS run (S6) tells its stalled peers' timeouts from anything else.
            if (mode === "tls-hold")
              say({ event: "handshake-error", code: String(/** @type {{ code?: unknown }} */ (error)?.code ?? error) });
          },
          onError,
        });
  const address = server.addresses()[0];
  return {
    port: typeof address === "object" ? address.port : undefined,
    server,
    close: () => {
      server.close();
      server.abortClients();
    },
  };
}

if (mode === "shutdown") {
  process.on("unhandledRejection", (reason) => {
    unhandled++;
    say({ event: "unhandled", reason: String(reason) });
  });
}
if (mode === "hostile")
  setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 10).unref();

/**
 * S7: close() now, closeClients() `graceMs` later, then report waitClosed()'s delay after it.
 * @param {import("../../packages/net/dist/index.js").Server} server
 * @param {number} graceMs
 */
async function shutdown(server, graceMs) {
  const closing = performance.now();
  server.close();
  say({ event: "close", clients: connections });
  await sleep(graceMs);
  const closingClients = performance.now();
  say({ event: "closeClients", clients: connections, afterCloseMs: closingClients - closing });
  server.closeClients();
  await server.waitClosed();
  say({ event: "waitClosed", ms: performance.now() - closingClients });
}

const listening = await listen();
say({ port: listening.port });
let stdinText = "";
process.stdin.on("data", (/** @type {Buffer} */ chunk) => {
  stdinText += chunk.toString();
  const commands = stdinText.split("\n");
  stdinText = commands.pop() ?? "";
  for (const command of commands) {
    if (command.startsWith("shutdown ") && listening.server !== undefined)
      void shutdown(listening.server, Number(command.slice(9)));
    else stats();
  }
});

function stats() {
  gc?.();
  say({
    shed,
    errors,
    connections,
    parked,
    peak,
    overruns,
    rss: process.memoryUsage.rss(),
    heap: process.memoryUsage().heapUsed,
    rssPeak,
    fds: readdirSync("/proc/self/fd").length,
    // Timers, sockets and other handles keeping the loop alive, by type (churn: back to baseline).
    handles: process.getActiveResourcesInfo().filter((type) => type !== "PipeWrap" && type !== "TTYWrap").length,
    // Active timers alone: handshake and read deadlines that outlive their connection (S6, D15).
    timers: process.getActiveResourcesInfo().filter((type) => type === "Timeout").length,
    resets,
    served,
    partial,
    unhandled,
    handshakeErrorsAt: handshakeErrorsAt.splice(0),
  });
  // Peaks are "since the last stats request".
  peak = 0;
  rssPeak = 0;
}
process.stdin.on("end", () => {
  listening.close();
  process.exit(0);
});
