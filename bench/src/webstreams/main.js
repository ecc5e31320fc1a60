// @ts-check
// `node bench/src/webstreams/main.js [--quick] [--runs N] [--rounds N] [--lines N] [--source pull,bytes,transform]
// [--runtimes node,bun,deno] [--json FILE]`: lines over a Web Streams pair (issue 20), read with
// `@asyncstreams/protocol`'s createWebStreams() + readLine() against a hand-written reader of the
// same pair, on Node, Bun and Deno (their binaries from runtimes/). Each (round, runtime, source,
// consumer) is one child process (./child.js) running `--runs` timed passes; rounds interleave the
// consumers (their order reversed every other round) so that load bursts hit them alike. Prints a
// table of medians and ratios to the hand-written reader; exits 1 when a pass fails.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ANCHOR, AWAIT_ANCHOR, IMPLS, SOURCES } from "./lines.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "child.js");
const argv = process.argv.slice(2);
const quick = argv.includes("--quick") || argv.includes("--smoke");

/**
 * @param {string} name
 * @param {string} fallback
 */
function option(name, fallback) {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : (argv[at + 1] ?? fallback);
}

const runs = Number(option("--runs", quick ? "1" : "5"));
const rounds = Number(option("--rounds", quick ? "1" : "3"));
const lines = Number(option("--lines", quick ? "100000" : "1000000"));
const sources = option("--source", "pull").split(",");
const runtimeIds = option("--runtimes", "node,bun,deno").split(",");
const impls = option("--impl", IMPLS.join(",")).split(",");
const jsonFile = option("--json", "");
for (const source of sources)
  if (!SOURCES.includes(/** @type {never} */ (source))) throw new RangeError(`--source ${source}`);
for (const impl of impls) if (!IMPLS.includes(/** @type {never} */ (impl))) throw new RangeError(`--impl ${impl}`);
if (!impls.includes(ANCHOR)) impls.push(ANCHOR); // every ratio is to it

/**
 * The runtimes' binaries: this Node, and Bun and Deno from runtimes/'s optional dependencies.
 *
 * @type {Record<string, { package?: string, path?: string[], argv: string[] }>}
 */
const known = {
  node: { argv: ["--expose-gc"] },
  bun: { package: "@oven/bun-linux-x64", path: ["bin", "bun"], argv: [] },
  // No permissions are needed: the child reads no file and no environment variable.
  deno: { package: "@deno/linux-x64-glibc", path: ["deno"], argv: ["run", "--no-lock", "--v8-flags=--expose-gc"] },
};
const require = createRequire(join(here, "../../../runtimes/package.json"));
/** @type {{ id: string, binary: string, argv: string[] }[]} */
const runtimes = [];
for (const id of runtimeIds) {
  const entry = known[id];
  if (entry === undefined) throw new RangeError(`--runtimes: one of ${Object.keys(known).join(", ")}`);
  if (entry.package === undefined) {
    runtimes.push({ id, binary: process.execPath, argv: entry.argv });
    continue;
  }
  try {
    const dir = dirname(require.resolve(`${entry.package}/package.json`));
    runtimes.push({ id, binary: join(dir, ...(entry.path ?? [])), argv: entry.argv });
  } catch {
    console.warn(`warning: ${id} rows skipped: ${entry.package} is not installed (runtimes/)`);
  }
}

/**
 * @typedef {{ runtime: string, version: string, impl: string, source: string, lines: number, bytes: number,
 *   wall: number, cpu: number, round: number }} Pass
 */
/** @type {Pass[]} */
const passes = [];
let failed = false;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? impls : [...impls].reverse();
  for (const runtime of runtimes)
    for (const source of sources)
      for (const impl of order) {
        const args = ["--impl", impl, "--source", source, "--lines", String(lines), "--runs", String(runs)];
        const result = spawnSync(runtime.binary, [...runtime.argv, child, ...args], {
          encoding: "utf8",
          timeout: 600_000,
        });
        if (result.status !== 0) {
          failed = true;
          const why = result.error?.message ?? result.stderr.slice(-2000);
          console.error(`${runtime.id} ${impl} (${source}) failed (status ${String(result.status)}): ${why}`);
        }
        for (const line of result.stdout.split("\n"))
          if (line.startsWith("{")) passes.push({ ...JSON.parse(line), round });
      }
}

/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};
/** @param {number[]} values spread as ± half the range over the median, in % */
const spread = (values) => ((Math.max(...values) - Math.min(...values)) / 2 / median(values)) * 100;

console.log(
  `\nLines over a Web Streams pair: ${lines.toLocaleString("en-US")} lines of 64 bytes in 64 KiB chunks; ` +
    `median of ${rounds} round(s) × ${runs} pass(es)`,
);
console.log(
  "ratio: hand-written's median time / this row's (wall, then CPU); vs await: the same to hand-written-await",
);
const header = [
  "runtime".padEnd(14),
  "source".padEnd(9),
  "impl".padEnd(18),
  "Mlines/s".padStart(8),
  "spread".padStart(7),
  "ratio".padStart(6),
  "vs await".padStart(8),
  "cpu Ml/s".padStart(8),
  "ratio".padStart(6),
  "  ratio per round (wall)",
];
console.log(header.join("  "));
/** @type {object[]} */
const rows = [];
for (const runtime of runtimes)
  for (const source of sources) {
    const own = passes.filter((p) => p.runtime === runtime.id && p.source === source);
    const anchor = own.filter((p) => p.impl === ANCHOR);
    const awaitAnchor = own.filter((p) => p.impl === AWAIT_ANCHOR);
    if (anchor.length === 0) continue;
    for (const impl of impls) {
      const mine = own.filter((p) => p.impl === impl);
      if (mine.length === 0) continue;
      const wall = median(mine.map((p) => p.wall));
      const cpu = median(mine.map((p) => p.cpu));
      const ratio = median(anchor.map((p) => p.wall)) / wall;
      const cpuRatio = median(anchor.map((p) => p.cpu)) / cpu;
      const awaitRatio = awaitAnchor.length === 0 ? NaN : median(awaitAnchor.map((p) => p.wall)) / wall;
      const perRound = [];
      for (let round = 0; round < rounds; round++) {
        const a = anchor.filter((p) => p.round === round).map((p) => p.wall);
        const m = mine.filter((p) => p.round === round).map((p) => p.wall);
        if (a.length > 0 && m.length > 0) perRound.push(median(a) / median(m));
      }
      const label = `${runtime.id} ${mine[0]?.version ?? ""}`;
      rows.push({
        runtime: runtime.id,
        version: mine[0]?.version,
        source,
        impl,
        wall,
        cpu,
        ratio,
        awaitRatio,
        cpuRatio,
        perRound,
      });
      console.log(
        [
          label.padEnd(14),
          source.padEnd(9),
          impl.padEnd(18),
          (lines / wall / 1e6).toFixed(2).padStart(8),
          `±${spread(mine.map((p) => p.wall)).toFixed(0)}%`.padStart(7),
          ratio.toFixed(2).padStart(6),
          (Number.isNaN(awaitRatio) ? "-" : awaitRatio.toFixed(2)).padStart(8),
          (lines / cpu / 1e6).toFixed(2).padStart(8),
          cpuRatio.toFixed(2).padStart(6),
          `  ${perRound.map((r) => r.toFixed(2)).join(" ")}`,
        ].join("  "),
      );
    }
  }
console.log(
  `(${((performance.now() - started) / 1000).toFixed(1)} s in all; wall and CPU time per pass are in --json)`,
);
if (jsonFile !== "") writeFileSync(jsonFile, `${JSON.stringify({ lines, runs, rounds, rows, passes }, null, 2)}\n`);
if (passes.length === 0) failed = true;
process.exit(failed ? 1 : 0);
