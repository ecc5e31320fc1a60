// @ts-check
// Error micro-benchmark: nanoseconds to construct each error class and to test it with
// `instanceof` (CPU time), median of several timed passes after a warm-up. Errors are made on hot-ish paths
// (every IncompleteReadError at EOF, every LimitOverrunError of a skipped line), so a change to the
// error base (the cross-copy brand, for example) is measured here before and after.
//   pnpm build && node bench/src/errors.js [--runs N] [--iterations N]
import process from "node:process";
import { parseArgs } from "node:util";
import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError, HandshakeError } from "@asyncstreams/protocol";
import { IncompleteReadError, LimitOverrunError, ReadTimeoutError } from "@asyncstreams/reader";
import { SocketError, TlsError } from "@asyncstreams/net";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, iterations: { type: "string", default: "50000" } },
});
const runs = Number(values.runs);
const iterations = Number(values.iterations);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(iterations) || iterations < 1) {
  console.error("Cannot run: --runs and --iterations must be positive integers");
  process.exit(2);
}

const partial = new Uint8Array(3);
const cause = new Error("read ECONNRESET");

/** @type {Array<[string, () => unknown]>} */
const constructions = [
  ["new Error (baseline)", () => new Error("Cannot do it: example")],
  ["new StreamError", () => new StreamError("ERR_EXAMPLE", "Cannot do it: example")],
  ["new IncompleteReadError", () => new IncompleteReadError(partial, 10)],
  ["new LimitOverrunError", () => new LimitOverrunError("Separator is not found, and chunk exceed the limit", 8, 0)],
  ["new ReadTimeoutError", () => new ReadTimeoutError("idle", 5000)],
  ["new ConnectionResetError", () => new ConnectionResetError(undefined, { systemCode: "EPIPE", cause })],
  ["new SocketError", () => new SocketError("Cannot connect: refused", { code: "ECONNREFUSED", cause })],
  ["new TlsError", () => new TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired", { cause })],
];

const incomplete = new IncompleteReadError(partial, 10);
const tls = new TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired");
const plain = new Error("plain");
/** @type {Array<[string, () => unknown]>} */
const checks = [
  ["IncompleteReadError instanceof StreamError", () => incomplete instanceof StreamError],
  ["IncompleteReadError instanceof IncompleteReadError", () => incomplete instanceof IncompleteReadError],
  ["IncompleteReadError instanceof LimitOverrunError", () => incomplete instanceof LimitOverrunError],
  ["TlsError instanceof HandshakeError", () => tls instanceof HandshakeError],
  ["Error instanceof StreamError", () => plain instanceof StreamError],
];

/**
 * Median nanoseconds per call of `body`.
 *
 * @param {() => unknown} body
 * @returns {number}
 */
function measure(body) {
  /** @type {unknown} */
  let sink;
  for (let i = 0; i < 10_000; i++) sink = body();
  /** @type {number[]} */
  const passes = [];
  for (let run = 0; run < runs; run++) {
    // CPU time, not wall-clock time: steadier on a machine shared with other work.
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) sink = body();
    const used = process.cpuUsage(start);
    passes.push(((used.user + used.system) * 1000) / iterations);
  }
  if (sink === Symbol.for("never")) console.log(sink);
  passes.sort((a, b) => a - b);
  return passes[Math.floor(passes.length / 2)] ?? Number.NaN;
}

console.log(`| operation | CPU ns/op (median of ${runs} × ${iterations}) |`);
console.log("| --- | ---: |");
for (const [name, body] of [...constructions, ...checks]) console.log(`| ${name} | ${measure(body).toFixed(1)} |`);
