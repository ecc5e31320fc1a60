// @ts-check
// The benchmark runner: one child process per (workload, implementation), a table of medians with
// ratios to node-raw measured in the same run. See bench/README.md.
//   pnpm build && pnpm bench [--quick | --smoke] [--runs N] [--only W1,W3b] [--impl node-raw,cpython] [--json FILE]
//     [--svg FILE]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ANCHOR, impls } from "./impl/index.js";
import { formatFigure, formatPeerTable, formatTable, median, peerRatios, speedRatio } from "./lib/report.js";
import { ratioChart } from "./lib/svg-chart.js";
import { workloads } from "./workloads/index.js";

/** @import { Row } from "./lib/report.js" */
/** @import { ImplEntry } from "./impl/index.js" */
/** @import { Measure, Workload } from "./lib/types.js" */

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, "child.js");
const PYTHON_INMEMORY = join(here, "..", "python", "inmemory.py");
const PYTHON_TCP = join(here, "..", "python", "tcp.py");
/** Open-files limit asked for children that hold many connections (M1); the hard limit if lower. */
const FD_LIMIT = 30_000;
const PYTHON = process.env.PYTHON ?? "python3";

/**
 * Prints a command-line mistake without a stack trace and exits with status 2.
 *
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
  console.error(`${message} (see --help)`);
  process.exit(2);
}

/** Parses the command line (strict: an unknown option is an error). */
function parseOptions() {
  return parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      smoke: { type: "boolean", default: false },
      runs: { type: "string" },
      rounds: { type: "string", default: "1" },
      only: { type: "string" },
      impl: { type: "string" },
      json: { type: "string" },
      svg: { type: "string" },
      timeout: { type: "string", default: "180" },
      clock: { type: "string", default: "wall" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
}

/** @type {ReturnType<typeof parseOptions>} */
let values;
try {
  values = parseOptions();
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(`Usage: node bench/src/main.js [options]   (run \`pnpm build\` first)
  --quick, --smoke   smaller sizes and 1 pass: a CI smoke run that still checks every count
  --runs N           timed passes per (workload, implementation); the median is reported (default 3)
  --rounds N         repeat the whole matrix N times, interleaved, and pool the passes (default 1):
                     on a busy machine this spreads load bursts over every implementation alike
  --only W1,W3b      workloads to run (${workloads.map((w) => w.id).join(", ")}); "W3b" includes W3b-64M
  --impl a,b         implementations to run (${impls.map((i) => i.name).join(", ")})
  --json FILE        also write the results as JSON
  --svg FILE         also write a chart of every ratio to node-raw as SVG (e.g. bench/results/ratios.svg)
  --clock cpu        figures from each pass's CPU time (user + system) instead of wall-clock time:
                     steadier on a machine shared with other work; the default is --clock wall
  --timeout SECONDS  give up on a child process after this long (default 180): it is stuck, not slow`);
  process.exit(0);
}

const quick = values.quick || values.smoke;
const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) usageError(`Cannot run ${values.runs} passes: expected a positive integer`);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  usageError(`Cannot run ${values.rounds} rounds: expected a positive integer`);
if (values.clock !== "wall" && values.clock !== "cpu")
  usageError(`Cannot use clock ${values.clock}: expected wall or cpu`);
const clock = values.clock;
const timeoutMs = Number(values.timeout) * 1000;
if (!(timeoutMs > 0)) usageError(`Cannot use a timeout of ${values.timeout} seconds: expected a positive number`);
const onlyWorkloads = values.only
  ?.split(",")
  .map((id) => id.trim())
  .filter(Boolean);
const onlyImpls = values.impl
  ?.split(",")
  .map((name) => name.trim())
  .filter(Boolean);
for (const id of onlyWorkloads ?? []) {
  if (!workloads.some((w) => w.id === id || w.base === id))
    usageError(`Cannot select workload ${id}: expected one of ${workloads.map((w) => w.id).join(", ")}`);
}
for (const name of onlyImpls ?? []) {
  if (!impls.some((i) => i.name === name))
    usageError(`Cannot select implementation ${name}: expected one of ${impls.map((i) => i.name).join(", ")}`);
}

const python = detectPython();
/** @type {string[]} */
const notes = [];
if (python === null && (onlyImpls === undefined || onlyImpls.includes("cpython"))) {
  notes.push(`${PYTHON} not found: the cpython column is skipped`);
  console.error(`Note: ${notes[0]}`);
}

const selectedWorkloads = workloads.filter(
  (w) => onlyWorkloads === undefined || onlyWorkloads.some((id) => w.id === id || w.base === id),
);
const selectedImpls = impls.filter(
  (i) => (onlyImpls === undefined || onlyImpls.includes(i.name)) && (i.runtime !== "python" || python !== null),
);

/** @type {Map<string, Row>} */
const pooled = new Map();
for (let round = 0; round < rounds; round++) {
  if (rounds > 1) process.stderr.write(`round ${round + 1} of ${rounds}\n`);
  for (const workload of selectedWorkloads) {
    const runs = (/** @type {ImplEntry} */ candidate) =>
      candidate.supports(workload) && (workload.impls === undefined || workload.impls.includes(candidate.name));
    for (const impl of selectedImpls.filter(runs)) {
      const key = `${workload.id} ${impl.name}`;
      const earlier = pooled.get(key);
      if (earlier?.error !== undefined) continue; // failed once: do not wait out its timeout again
      const row = measure(workload, impl);
      if (earlier === undefined) pooled.set(key, row);
      else {
        if (row.error !== undefined) earlier.error = row.error;
        earlier.figures.push(...row.figures);
        earlier.seconds.push(...row.seconds);
        earlier.cpuSeconds.push(...row.cpuSeconds);
        earlier.measures.push(...row.measures);
        earlier.maxRssKiB = Math.max(earlier.maxRssKiB, row.maxRssKiB);
      }
    }
  }
}
/** @type {Row[]} */
const rows = [];
for (const workload of selectedWorkloads) {
  const group = [...pooled.values()].filter((row) => row.workload === workload.id);
  for (const row of group) {
    row.median = row.error === undefined ? median(row.figures) : Number.NaN;
    if (row.error === undefined && workload.describe !== undefined) row.details = workload.describe(medianMeasure(row));
  }
  // A row for an API only asyncstreams has takes its ratios from the rows it is a variant of.
  const peers =
    workload.compareWith === undefined
      ? group
      : [...pooled.values()].filter((row) => row.workload === workload.compareWith);
  const anchor = peers.find((row) => row.impl === ANCHOR);
  const cpython = peers.find((row) => row.impl === "cpython");
  for (const row of group) {
    row.vsAnchor = speedRatio(row, anchor);
    row.vsCpython = speedRatio(row, cpython);
  }
  rows.push(...group);
}

console.log(
  `\nasyncstreams bench: Node ${process.version}${python === null ? "" : `, ${python}`}, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}`,
);
const passes = runs * rounds;
console.log(
  `${quick ? "quick (smoke) run" : "full run"}, median of ${passes} pass${passes === 1 ? "" : "es"}${rounds > 1 ? ` (${rounds} interleaved rounds of ${runs})` : ""}${clock === "cpu" ? ", CPU time" : ""}; ratios are speed relative to that column (> 1 = faster)\n`,
);
console.log(formatTable(rows));
const vsPeers = peerRatios(
  rows,
  new Set(impls.filter((impl) => impl.peer === true).map((impl) => impl.name)),
  new Map(selectedWorkloads.flatMap((w) => (w.compareWith === undefined ? [] : [[w.id, w.compareWith]]))),
);
if (vsPeers.length > 0) {
  console.log(
    "\nasyncstreams vs the JavaScript libraries users would pick instead (its speed over theirs, same run)\n",
  );
  console.log(formatPeerTable(vsPeers));
}
for (const line of linearity(rows)) console.log(line);
for (const note of notes) console.log(`Note: ${note}`);

if (values.json !== undefined) {
  mkdirSync(dirname(values.json), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    python,
    cpu: { model: cpus()[0]?.model ?? null, count: cpus().length },
    quick,
    runs,
    rounds,
    clock,
    anchor: ANCHOR,
    rows,
    vsPeers,
    notes,
  };
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote ${values.json}`);
}

if (values.svg !== undefined) {
  mkdirSync(dirname(values.svg), { recursive: true });
  writeFileSync(values.svg, ratioChart(rows, { anchor: ANCHOR }));
  console.log(`\nWrote ${values.svg}`);
}

const failed = rows.filter((row) => row.error !== undefined);
if (failed.length > 0) {
  for (const row of failed) console.error(`\n${row.workload} ${row.impl} failed:\n${row.error}`);
  process.exitCode = 1;
}

/**
 * Runs one (workload, implementation) pair: in one fresh child process, or for `scale` workloads in
 * one fresh process per pass (their figures come from RSS, which never shrinks back, so a second
 * pass in the same process would reuse the first one's pages).
 *
 * @param {Workload} workload
 * @param {ImplEntry} impl
 * @returns {Row}
 */
function measure(workload, impl) {
  const params = workload.params(quick);
  /** @type {Row} */
  const row = {
    workload: workload.id,
    impl: impl.name,
    unit: workload.unit,
    better: workload.better,
    params,
    figures: [],
    seconds: [],
    cpuSeconds: [],
    measures: [],
    median: Number.NaN,
    vsAnchor: null,
    vsCpython: null,
    maxRssKiB: 0,
  };
  const perPass = workload.kind === "scale";
  process.stderr.write(`${workload.id} ${impl.name} ... `);
  for (let child = 0; child < (perPass ? runs : 1); child++) {
    const result = runChild(workload, impl, params, perPass ? 1 : runs);
    if ("error" in result) {
      row.error = result.error;
      process.stderr.write("FAILED\n");
      return row;
    }
    row.seconds.push(...result.seconds);
    row.cpuSeconds.push(...result.cpuSeconds);
    row.measures.push(...(result.measures ?? result.seconds.map(() => ({}))));
    row.maxRssKiB = Math.max(row.maxRssKiB, result.maxRssKiB);
  }
  row.figures = (clock === "cpu" ? row.cpuSeconds : row.seconds).map((seconds, pass) =>
    workload.figure(params, seconds, row.measures[pass] ?? {}),
  );
  row.median = median(row.figures);
  process.stderr.write(`${formatFigure(row.median)} ${workload.unit}\n`);
  return row;
}

/**
 * Starts one child process and reads its JSON line.
 *
 * @param {Workload} workload
 * @param {ImplEntry} impl
 * @param {import("./lib/types.js").WorkloadParams} params
 * @param {number} passes
 * @returns {{ seconds: number[], cpuSeconds: number[], measures?: Measure[], maxRssKiB: number } | { error: string }}
 */
function runChild(workload, impl, params, passes) {
  const shared = ["--runs", String(passes), "--params", JSON.stringify(params)];
  const script = workload.kind === "memory" ? PYTHON_INMEMORY : PYTHON_TCP;
  let [command, args] =
    impl.runtime === "python"
      ? [PYTHON, [script, "--workload", workload.base, "--warmup", JSON.stringify(workload.warmup(params)), ...shared]]
      : [process.execPath, ["--expose-gc", CHILD, "--workload", workload.id, "--impl", impl.name, ...shared]];
  if (workload.raiseFdLimit === true && process.platform !== "win32") {
    // Each idle connection costs the server (and the client process) one descriptor: raise the soft
    // limit, or up to the hard limit when it is lower. The child holds as many as fit and says so.
    args = [
      "-c",
      `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`,
      "bash",
      command,
      ...args,
    ];
    command = "bash";
  }
  const child = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 1 << 20,
  });
  const last = child.stdout?.trim().split("\n").at(-1) ?? "";
  if (child.status !== 0 || !last.startsWith("{")) {
    const timedOut = /** @type {NodeJS.ErrnoException | undefined} */ (child.error)?.code === "ETIMEDOUT";
    const reason = timedOut
      ? `no result within --timeout ${values.timeout} s (stuck, or far slower than expected)`
      : (child.error?.message ?? (child.signal === null ? `exit code ${child.status}` : `killed by ${child.signal}`));
    const stderr = (child.stderr ?? "").trim();
    return { error: stderr === "" ? reason : `${reason}\n${stderr.split("\n").slice(-15).join("\n")}` };
  }
  return JSON.parse(last);
}

/**
 * The measure of the pass whose figure is the median (the lower middle one for an even count).
 *
 * @param {Row} row
 * @returns {Measure}
 */
function medianMeasure(row) {
  const order = row.figures.map((figure, pass) => ({ figure, pass })).sort((a, b) => a.figure - b.figure);
  const middle = order[(order.length - 1) >> 1];
  return (middle === undefined ? undefined : row.measures[middle.pass]) ?? {};
}

/**
 * W3b at 16 and 64 MiB: the time ratio should be about 4 when the search is linear.
 *
 * @param {readonly Row[]} allRows
 * @returns {string[]}
 */
function linearity(allRows) {
  /** @type {string[]} */
  const lines = [];
  let sizeRatio = 0;
  for (const small of allRows.filter((row) => row.workload === "W3b" && row.error === undefined)) {
    const large = allRows.find(
      (row) => row.workload === "W3b-64M" && row.impl === small.impl && row.error === undefined,
    );
    if (large === undefined) continue;
    sizeRatio = (large.params.size ?? 0) / (small.params.size ?? 1);
    lines.push(`  ${small.impl}: ${(large.median / small.median).toFixed(1)} ×`);
  }
  if (lines.length === 0) return [];
  return [
    `\nW3b linearity: time for W3b-64M over time for W3b (${sizeRatio} × the bytes; about ${sizeRatio} × is linear)`,
    ...lines,
  ];
}

/** @returns {string | null} "Python 3.11.7", or null when there is no usable python3. */
function detectPython() {
  const probe = spawnSync(PYTHON, ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) return null;
  return (probe.stdout || probe.stderr).trim();
}
