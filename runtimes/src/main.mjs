#!/usr/bin/env node
// @ts-check
// `pnpm test:runtimes [--quick]`: the core packages' Vitest suites on Node 24, Bun and Deno, the
// core smoke test (smoke/core-smoke.js, against dist/) on each of them and in headless Chromium,
// then a runtime x package matrix. Exits 1 on any failure; a missing Chromium is a skip.
//   --quick               CI's pass: core suites + smoke tests (no net suite, no probes)
//   --runtimes=bun,deno   only these (node24, bun, deno, chromium)
//   --install-chromium    install Debian's chromium with apt-get when missing (as root; CI does so by itself)
// The full run adds packages/net on the three runtimes (less the files in net-exclusions.mjs, which
// run apart as known differences) and the probes in probes/ that docs/runtimes.md quotes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBrowserSmoke } from "./browser.mjs";
import { netExclusions } from "./net-exclusions.mjs";
import { findRuntime, runtimeIds } from "./runtimes.mjs";
import { repoRoot, runVitest } from "./vitest-run.mjs";

const CORE = ["buffer", "reader", "writer", "protocol"];
const CORE_DEADLINE_MS = 5 * 60_000;
const NET_DEADLINE_MS = 6 * 60_000;
const SMOKE_DEADLINE_MS = 2 * 60_000;
const PROBES = ["socket-chunk-size", "child-stdin-backpressure", "duplex-toweb-eof"];

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv
  .find((arg) => arg.startsWith("--runtimes="))
  ?.slice("--runtimes=".length)
  .split(",");
const wanted = (/** @type {string} */ id) => only === undefined || only.includes(id);
const installChromium =
  argv.includes("--install-chromium") ||
  (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false");
const unknown = argv.filter(
  (arg) => arg !== "--quick" && arg !== "--install-chromium" && !arg.startsWith("--runtimes="),
);
if (unknown.length > 0) {
  console.error(
    `Unknown option ${unknown.join(" ")}: expected --quick, --runtimes=${[...runtimeIds, "chromium"].join(",")}, --install-chromium`,
  );
  process.exit(2);
}

const logDir = mkdtempSync(join(tmpdir(), "asyncstreams-runtimes-"));
const startedAt = performance.now();
/** @type {string[]} */
const columns = quick ? [...CORE, "smoke"] : [...CORE, "net", "smoke"];
/** @typedef {{ passed: number, failed: number, skipped: number } | string} Cell  a string: why there is no count */
/** @type {{ label: string, cells: Map<string, Cell> }[]} */
const rows = [];
/** @type {string[]} */
const failures = [];
const log = (/** @type {string} */ line) => console.log(line);

for (const id of runtimeIds.filter(wanted)) {
  const runtime = findRuntime(id);
  if ("missing" in runtime) {
    // The runtimes are devDependencies of this package: missing means the install is broken.
    failures.push(`${runtime.label}: ${runtime.missing}`);
    rows.push({ label: runtime.label, cells: new Map(columns.map((column) => [column, "missing"])) });
    continue;
  }
  const label = `${runtime.label} (${
    runtime.version
      .replace(/^(deno|bun)\s*/i, "")
      .replace(/^v/, "")
      .split(" ")[0]
  })`;
  /** @type {Map<string, Cell>} */
  const cells = new Map();
  rows.push({ label, cells });

  log(`\n== ${label}: core suites (${CORE.join(", ")})`);
  const core = await runVitest(runtime, { packages: CORE, timeoutMs: CORE_DEADLINE_MS, logDir });
  for (const pkg of CORE) cells.set(pkg, core.byPackage.get(pkg) ?? "no tests");
  reportRun(label, core, { perFile: false });

  if (!quick) {
    const exclusions = netExclusions[id] ?? [];
    log(`\n== ${label}: net suite${exclusions.length > 0 ? ` (less ${exclusions.length} files, listed below)` : ""}`);
    const net = await runVitest(runtime, {
      packages: ["net"],
      exclude: exclusions.map((exclusion) => exclusion.file),
      timeoutMs: NET_DEADLINE_MS,
      logDir,
    });
    cells.set("net", net.byPackage.get("net") ?? "no tests");
    reportRun(label, net, { perFile: true });
    if (exclusions.length > 0) await runKnownDifferences(runtime, exclusions);
  }

  log(`\n== ${label}: smoke test of the built packages`);
  cells.set("smoke", runServerSmoke(runtime, label));
}

if (wanted("chromium")) {
  log("\n== Chromium: smoke test of the built packages (no process global)");
  const browser = await runBrowserSmoke({ install: installChromium, logDir, log });
  const label = `Chromium${browser.version ? ` (${browser.version.replace(/^Chromium\s*/, "").split(" ")[0]})` : ""}`;
  /** @type {Map<string, Cell>} */
  const cells = new Map(columns.map((column) => [column, "-"]));
  rows.push({ label, cells });
  if (browser.status === "skipped") {
    log(`SKIPPED: ${browser.reason}`);
    cells.set("smoke", "skipped");
  } else if (browser.report === undefined) {
    failures.push(`Chromium: ${browser.reason}`);
    log(`FAILED: ${browser.reason}`);
    cells.set("smoke", "error");
  } else {
    cells.set("smoke", reportSmoke(label, browser.report));
  }
}

if (!quick) runProbes();

printMatrix();
const seconds = ((performance.now() - startedAt) / 1000).toFixed(0);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const row of rows) {
  for (const cell of row.cells.values()) {
    if (typeof cell === "string") continue;
    passed += cell.passed;
    failed += cell.failed;
    skipped += cell.skipped;
  }
}
if (failures.length > 0) {
  log("\nFailures:");
  for (const failure of failures) log(`  - ${failure}`);
  log(`Logs of the failed runs: ${logDir}`);
} else {
  rmSync(logDir, { recursive: true, force: true });
}
log(`\nruntimes (${seconds} s): ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failures.length === 0 && failed === 0 ? 0 : 1);

/**
 * Prints a Vitest run's outcome and records its failures.
 * @param {string} label
 * @param {import("./vitest-run.mjs").VitestRun} run
 * @param {{ perFile: boolean }} options
 */
function reportRun(label, run, { perFile }) {
  const totals = [...run.byPackage.entries()].map(([pkg, counts]) => `${pkg} ${format(counts)}`).join(", ");
  log(`${totals} in ${(run.ms / 1000).toFixed(1)} s`);
  if (perFile) {
    for (const file of run.files.sort((a, b) => a.file.localeCompare(b.file)))
      log(`  ${file.counts.failed > 0 ? "FAIL" : "ok  "} ${file.file}: ${format(file.counts)}`);
  }
  for (const file of run.files) {
    for (const failure of file.failures) {
      failures.push(`${label}: ${file.file}: ${failure}`);
      log(`  FAILED ${file.file}: ${failure}`);
    }
  }
  for (const problem of run.problems) {
    failures.push(`${label}: ${problem}`);
    log(`  PROBLEM ${problem}`);
  }
  if (run.problems.length > 0) printTail(run.logFile);
}

/**
 * Runs the excluded net files apart and says how they fare; they do not count in the matrix.
 * @param {import("./runtimes.mjs").Runtime} runtime
 * @param {import("./net-exclusions.mjs").Exclusion[]} exclusions
 */
async function runKnownDifferences(runtime, exclusions) {
  log(`-- known differences on ${runtime.label} (run apart, not counted):`);
  const included = new Set(exclusions.map((exclusion) => exclusion.file));
  const run = await runVitest(runtime, {
    packages: ["net"],
    exclude: [],
    timeoutMs: NET_DEADLINE_MS,
    logDir,
    only: [...included],
  });
  for (const exclusion of exclusions) {
    const file = run.files.find((entry) => entry.file === exclusion.file);
    const outcome =
      file === undefined
        ? "not found (renamed or removed? update net-exclusions.mjs)"
        : file.counts.failed === 0
          ? `now passes (${format(file.counts)}): remove it from net-exclusions.mjs`
          : `${format(file.counts)}; ${file.failures[0] ?? ""}`;
    log(`  ${exclusion.file}: ${outcome}`);
    log(`      why excluded: ${exclusion.reason}`);
  }
}

/**
 * Runs smoke/run.mjs on a server runtime; returns the smoke cell.
 * @param {import("./runtimes.mjs").Runtime} runtime
 * @param {string} label
 * @returns {Cell}
 */
function runServerSmoke(runtime, label) {
  const result = spawnSync(runtime.binary, runtime.argv("smoke/run.mjs", []), {
    cwd: join(repoRoot, "runtimes"),
    encoding: "utf8",
    timeout: SMOKE_DEADLINE_MS,
    killSignal: "SIGKILL",
  });
  const line = (result.stdout ?? "").trim().split("\n").at(-1) ?? "";
  try {
    return reportSmoke(label, JSON.parse(line));
  } catch {
    const why =
      result.error !== undefined
        ? String(result.error)
        : `exit ${result.status}: ${(result.stderr ?? "").trim().split("\n").slice(0, 5).join(" | ")}`;
    failures.push(`${label}: the smoke test did not report (${why}); run \`pnpm build\` first`);
    log(`FAILED: the smoke test did not report (${why})`);
    return "error";
  }
}

/**
 * Prints a smoke report and records its failures; returns the smoke cell.
 * @param {string} label
 * @param {import("../smoke/core-smoke.js").SmokeReport} report
 * @returns {Cell}
 */
function reportSmoke(label, report) {
  log(`${report.runtime}; the conformance kit's rejection hook: ${report.rejectionHook}`);
  /** @type {{ passed: number, failed: number, skipped: number }} */
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const check of report.results) {
    log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name} (${check.ms} ms)`);
    if (check.ok) counts.passed += 1;
    else {
      counts.failed += 1;
      failures.push(`${label}: smoke: ${check.name}: ${check.error ?? ""}`);
      log(`       ${(check.error ?? "").split("\n").slice(0, 4).join("\n       ")}`);
    }
  }
  return counts;
}

/** Runs each probe on each runtime and prints its JSON line (information for docs/runtimes.md). */
function runProbes() {
  log("\n== Probes (information, not tests; see docs/runtimes.md)");
  const runtimes = [
    {
      id: "host",
      label: `Node ${process.versions.node} (host)`,
      binary: process.execPath,
      argv: (/** @type {string} */ script) => [script],
    },
  ];
  for (const id of runtimeIds.filter(wanted)) {
    const runtime = findRuntime(id);
    if (!("missing" in runtime))
      runtimes.push({ id, label: runtime.label, binary: runtime.binary, argv: (script) => runtime.argv(script, []) });
  }
  for (const probe of PROBES) {
    for (const runtime of runtimes) {
      const result = spawnSync(runtime.binary, runtime.argv(`probes/${probe}.mjs`), {
        cwd: join(repoRoot, "runtimes"),
        encoding: "utf8",
        timeout: 60_000,
        killSignal: "SIGKILL",
      });
      const line = (result.stdout ?? "").trim().split("\n").at(-1) || `no output (exit ${result.status})`;
      log(`  ${runtime.label.padEnd(24)} ${line}`);
    }
  }
}

/** @param {{ passed: number, failed: number, skipped: number }} counts */
function format(counts) {
  return `${counts.passed}/${counts.failed}/${counts.skipped}`;
}

/** @param {string} logFile */
function printTail(logFile) {
  try {
    const lines = readFileSync(logFile, "utf8").trimEnd().split("\n");
    log(`  last lines of ${logFile}:`);
    for (const line of lines.slice(-30)) log(`    ${line}`);
  } catch {
    // no log
  }
}

function printMatrix() {
  const header = ["runtime", ...columns];
  const body = rows.map((row) => [
    row.label,
    ...columns.map((column) => {
      const cell = row.cells.get(column) ?? "-";
      return typeof cell === "string" ? cell : format(cell);
    }),
  ]);
  const widths = header.map((_, index) => Math.max(...[header, ...body].map((cells) => (cells[index] ?? "").length)));
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  log(`\nMatrix (passed/failed/skipped tests; smoke = checks of the built packages):`);
  log(line(header));
  log(line(widths.map((width) => "-".repeat(width))));
  for (const cells of body) log(line(cells));
}
