// @ts-check
// One (runtime, consumer) process of the Web Streams bench, started by ./main.js on Node, Bun or
// Deno with the same arguments: `--impl NAME --source pull|bytes|transform --lines N --runs N`.
// It checks the consumer on a stream whose lines straddle chunks, runs one untimed warm-up pass
// at 10 %, then prints one JSON line per timed pass: wall and CPU seconds, lines and bytes.
import { IMPLS, LineCheck, SOURCES, consumers, lineChunks, streamPair } from "./lines.js";

/** @typedef {import("./lines.js").Impl} Impl */
/** @typedef {import("./lines.js").Source} Source */

/** @type {{ Deno?: { version: { deno: string } }, Bun?: { version: string, gc(full: boolean): void } }} */
const g = /** @type {never} */ (globalThis);
const runtime = g.Deno !== undefined ? "deno" : g.Bun !== undefined ? "bun" : "node";
const version = g.Deno?.version.deno ?? g.Bun?.version ?? process.versions.node;
/** Node `--expose-gc`, Deno `--v8-flags=--expose-gc`, Bun's own: every pass starts collected. */
const v8 = /** @type {{ gc?: () => void }} */ (globalThis);
const gc = g.Bun !== undefined ? () => g.Bun?.gc(true) : (v8.gc ?? (() => undefined));

/** @param {string} name */
function option(name) {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (value === undefined) throw new RangeError(`${name} is required`);
  return value;
}

const impl = /** @type {Impl} */ (option("--impl"));
const source = /** @type {Source} */ (option("--source"));
const lines = Number(option("--lines"));
const runs = Number(option("--runs"));
if (!IMPLS.includes(impl)) throw new RangeError(`--impl: one of ${IMPLS.join(", ")}`);
if (!SOURCES.includes(source)) throw new RangeError(`--source: one of ${SOURCES.join(", ")}`);
const consume = consumers[impl];

/**
 * One pass over `count` lines cut into `chunkSize`-byte chunks (built before the clock).
 *
 * @param {number} count
 * @param {number} [chunkSize]
 */
async function pass(count, chunkSize) {
  const pair = streamPair(source, lineChunks(count, chunkSize));
  const check = new LineCheck();
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await consume(pair, check);
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  check.expect(`${runtime} ${impl} (${source})`, count);
  return { wall, cpu: (used.user + used.system) / 1e6, bytes: check.bytes };
}

// 1,000-byte chunks: most lines straddle two chunks, some lie in one; the spanning path is checked.
await pass(10_000, 1_000);
await pass(Math.ceil(lines / 10));
for (let run = 0; run < runs; run++) {
  const { wall, cpu, bytes } = await pass(lines);
  console.log(JSON.stringify({ runtime, version, impl, source, lines, bytes, wall, cpu }));
}
