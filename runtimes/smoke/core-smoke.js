// @ts-check
// A smoke test of the four core packages as published (their dist/), written once for every
// runtime: Node, Bun and Deno import it through node_modules, Chromium through an import map
// (index.html). It uses nothing but the packages and web-platform globals, like the packages.
import { WebStreamTransport, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { IncompleteReadError, LimitOverrunError } from "@asyncstreams/reader";

/** @typedef {{ name: string, ok: boolean, ms: number, error?: string }} CheckResult */
/** @typedef {{ runtime: string, rejectionHook: string, results: CheckResult[] }} SmokeReport */

const CHECK_DEADLINE_MS = 20_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** @param {string} text */
const bytes = (text) => encoder.encode(text);
/** @param {Uint8Array} data */
const text = (data) => decoder.decode(data);

/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} what
 */
function expectEqual(actual, expected, what) {
  if (actual !== expected)
    throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

/**
 * Awaits `promise` and returns what it rejected with; fails if it resolves.
 * @param {Promise<unknown>} promise
 * @param {string} what
 */
async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what} resolved; expected a rejection`);
}

/** @type {[string, () => Promise<void>][]} */
const checks = [
  [
    "memoryTransportPair + createStreams: readLine, readExactly, readUntil, then IncompleteReadError at EOF",
    async () => {
      const [left, right] = memoryTransportPair();
      const client = createStreams(left);
      const server = createStreams(right);
      client.writer.write(bytes("PING\nHELLOabc\r\ntail"));
      await client.writer.drain();
      expectEqual(text(await server.reader.readLine()), "PING\n", "readLine()");
      expectEqual(text(await server.reader.readExactly(5)), "HELLO", "readExactly(5)");
      expectEqual(text(await server.reader.readUntil(bytes("\r\n"))), "abc\r\n", "readUntil(CRLF)");
      client.writer.writeEof();
      const error = await rejection(server.reader.readExactly(10), "readExactly(10) at EOF");
      if (!(error instanceof IncompleteReadError))
        throw new Error(`readExactly(10) at EOF threw ${String(error)}, not IncompleteReadError`);
      expectEqual(text(error.partial), "tail", "IncompleteReadError.partial");
      client.writer.close();
      server.writer.close();
      await Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]);
    },
  ],
  [
    "an aborted readLine() rejects with the reason, consumes nothing, and the next read gets the bytes",
    async () => {
      const [left, right] = memoryTransportPair();
      const client = createStreams(left);
      const server = createStreams(right);
      client.writer.write(bytes("partial"));
      const controller = new AbortController();
      const pending = server.reader.readLine({ signal: controller.signal });
      const reason = new Error("stop waiting");
      controller.abort(reason);
      expectEqual(await rejection(pending, "an aborted readLine()"), reason, "the aborted read's rejection");
      const timedOut = await rejection(
        server.reader.readLine({ signal: AbortSignal.timeout(20) }),
        "readLine() past AbortSignal.timeout(20)",
      );
      expectEqual(
        /** @type {{ name?: unknown }} */ (timedOut).name,
        "TimeoutError",
        "AbortSignal.timeout() reason name",
      );
      client.writer.write(bytes(" line\n"));
      expectEqual(text(await server.reader.readLine()), "partial line\n", "readLine() after the aborts");
      client.writer.close();
      server.writer.close();
    },
  ],
  [
    "readLine() over the limit throws LimitOverrunError and the next line still arrives",
    async () => {
      const [left, right] = memoryTransportPair();
      const client = createStreams(left);
      const server = createStreams(right, { limit: 8 });
      client.writer.write(bytes("0123456789abcdef\nok\n"));
      const error = await rejection(server.reader.readLine(), "readLine() of 17 bytes with limit 8");
      if (!(error instanceof LimitOverrunError))
        throw new Error(`readLine() over the limit threw ${String(error)}, not LimitOverrunError`);
      expectEqual(error.code, "ERR_LIMIT_OVERRUN", "LimitOverrunError.code");
      expectEqual(text(await server.reader.readLine()), "ok\n", "the line after the overrun");
      client.writer.close();
      server.writer.close();
    },
  ],
  [
    "WebStreamTransport over crossed TransformStreams: lines both ways, writeEof() half-closes, the peer still answers",
    async () => {
      const there = new TransformStream();
      const back = new TransformStream();
      const client = createStreams(new WebStreamTransport({ readable: back.readable, writable: there.writable }));
      const server = createStreams(new WebStreamTransport({ readable: there.readable, writable: back.writable }));
      client.writer.write(bytes("ping\n"));
      expectEqual(
        text(await server.reader.readLine({ signal: AbortSignal.timeout(5_000) })),
        "ping\n",
        "server readLine()",
      );
      server.writer.write(bytes("pong\n"));
      expectEqual(
        text(await client.reader.readLine({ signal: AbortSignal.timeout(5_000) })),
        "pong\n",
        "client readLine()",
      );
      client.writer.writeEof();
      expectEqual((await server.reader.read()).length, 0, "server read() after the client's writeEof()");
      expectEqual(server.reader.atEof(), true, "server atEof()");
      server.writer.write(bytes("bye\n"));
      await server.writer.drain();
      expectEqual(
        text(await client.reader.readLine({ signal: AbortSignal.timeout(5_000) })),
        "bye\n",
        "client readLine() after half-close",
      );
      server.writer.close();
      await server.writer.waitClosed();
      client.writer.close();
      await client.writer.waitClosed();
    },
  ],
  [
    "the conformance kit passes on memoryTransportPair",
    async () => {
      const cases = transportConformance(() => ({ transports: memoryTransportPair() }), {
        halfClose: true,
        pauseReading: true,
        writeBufferLimits: true,
      });
      if (cases.length < 13) throw new Error(`the kit returned ${cases.length} cases, expected at least 13`);
      for (const conformanceCase of cases) await conformanceCase.run();
    },
  ],
  [
    "the conformance kit hears an unhandled rejection through the runtime's own hook",
    async () => {
      const leaky = () => {
        const pair = memoryTransportPair();
        for (const transport of pair) {
          const abort = transport.abort.bind(transport);
          // The fault: a promise rejected and left unhandled whenever the transport aborts.
          transport.abort = () => {
            void Promise.reject(new Error("a leaked rejection"));
            abort();
          };
        }
        return { transports: pair };
      };
      const cases = transportConformance(leaky, {
        halfClose: true,
        pauseReading: true,
        writeBufferLimits: true,
        timeout: 2_000,
      });
      const abortCase = cases.find((conformanceCase) => conformanceCase.name.includes("abort() drops buffered data"));
      if (abortCase === undefined) throw new Error('no conformance case named "abort() drops buffered data"');
      const error = await rejection(abortCase.run(), "the abort case on a leaking transport");
      if (!/nobody handled it: Error: a leaked rejection/.test(String(/** @type {Error} */ (error).message))) {
        throw new Error(`the abort case failed for another reason: ${String(error)}`);
      }
    },
  ],
];

/** The checks' names, in the order `runCoreSmoke()` runs them (the browser Worker test asserts each). */
export const checkNames = checks.map(([name]) => name);

/**
 * Rejects if `promise` takes longer than `ms`.
 * @param {Promise<void>} promise
 * @param {number} ms
 * @param {string} name
 */
async function withDeadline(promise, ms, name) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Which runtime this is, from its globals. */
function describeRuntime() {
  /**
   * @typedef {{
   *   Bun?: { version: string },
   *   Deno?: { version: { deno: string } },
   *   process?: { versions?: { node?: string } },
   *   navigator?: { userAgent?: string },
   * }} RuntimeGlobals
   */
  const g = /** @type {RuntimeGlobals} */ (globalThis);
  if (g.Bun !== undefined) return `Bun ${g.Bun.version}`;
  if (g.Deno !== undefined) return `Deno ${g.Deno.version.deno}`;
  if (g.process?.versions?.node !== undefined) return `Node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? "unknown";
}

/** Which hook the kit's default unhandled-rejection watcher finds here (the same test as _unhandled-rejections.ts). */
function describeRejectionHook() {
  const g = /** @type {{ process?: { on?: unknown, off?: unknown }, addEventListener?: unknown }} */ (globalThis);
  if (typeof g.process?.on === "function" && typeof g.process.off === "function")
    return 'process.on("unhandledRejection")';
  if (typeof g.addEventListener === "function") return 'globalThis.addEventListener("unhandledrejection")';
  return "none";
}

/**
 * Runs every check, one after another, each within its deadline.
 * @returns {Promise<SmokeReport>}
 */
export async function runCoreSmoke() {
  /** @type {CheckResult[]} */
  const results = [];
  for (const [name, check] of checks) {
    const started = performance.now();
    try {
      await withDeadline(check(), CHECK_DEADLINE_MS, name);
      results.push({ name, ok: true, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name, ok: false, ms: Math.round(performance.now() - started), error: message });
    }
  }
  return { runtime: describeRuntime(), rejectionHook: describeRejectionHook(), results };
}
