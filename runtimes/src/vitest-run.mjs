// @ts-check
// Runs the repository's Vitest suites on one runtime and counts the results per package.
// Vitest itself runs on the runtime (its CLI script started by that binary), and so do its test
// workers: the `forks` pool forks with process.execPath, which is the runtime's own binary. The
// `threads` pool is not used: Deno's worker_threads lacks `parentPort.removeAllListeners`, so
// every worker teardown fails there (see docs/runtimes.md).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { runLogged } from "./_spawn.mjs";

/** @typedef {import("./runtimes.mjs").Runtime} Runtime */

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */

/**
 * @typedef {object} FileResult
 * @property {string} file       path from the repository root
 * @property {string} pkg        package folder name (buffer, net...)
 * @property {Counts} counts
 * @property {string[]} failures "test name: first line of the error" for each failed test, or the
 *                               file's own error when it could not run at all
 */

/**
 * @typedef {object} VitestRun
 * @property {Map<string, Counts>} byPackage
 * @property {FileResult[]} files
 * @property {string[]} problems  run-level failures: a crash, a deadline, unhandled errors, a worker
 *                                that was not the runtime asked for
 * @property {number} ms
 * @property {string} logFile     Vitest's own output (kept only when the run had problems)
 */

export const repoRoot = join(import.meta.dirname, "..", "..");
const vitestCli = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
const config = join(repoRoot, "runtimes", "vitest.config.mjs");

/**
 * The runtime name the probe setup file writes for `runtime` (see probe.setup.mjs).
 * @param {Runtime} runtime
 */
function expectedWorker(runtime) {
  return runtime.id === "node24" ? "node 24." : `${runtime.id} `;
}

/**
 * @param {Runtime} runtime
 * @param {{ packages: string[], exclude?: string[], only?: string[], timeoutMs: number, logDir: string }} options
 *   `packages`: folder names under packages/ whose test/ folders run; `exclude`: globs left out;
 *   `only`: run just these test files (paths from the repository root) instead.
 * @returns {Promise<VitestRun>}
 */
export async function runVitest(runtime, { packages, exclude = [], only, timeoutMs, logDir }) {
  const work = mkdtempSync(join(tmpdir(), `asyncstreams-${runtime.id}-`));
  const report = join(work, "report.json");
  const probeDir = join(work, "probe");
  const logFile = join(logDir, `vitest-${runtime.id}-${packages.join("-")}${only === undefined ? "" : "-only"}.log`);
  const args = [
    "run",
    "--config",
    config,
    "--pool=forks",
    "--reporter=dot", // Vitest's own output goes to the log; the summary comes from the JSON report
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...exclude.map((glob) => `--exclude=${glob}`),
    ...(only ?? packages.map((name) => `packages/${name}/test/`)),
  ];
  mkdirSync(probeDir);
  // NO_COLOR: plain logs. CI unset: Vitest would otherwise switch reporters.
  const env = { ...process.env, ASYNCSTREAMS_RUNTIME_PROBE_DIR: probeDir, NO_COLOR: "1", FORCE_COLOR: "0" };
  const finished = await runLogged(runtime.binary, runtime.argv(vitestCli, args), {
    cwd: repoRoot,
    env,
    logFile,
    timeoutMs,
  });

  /** @type {VitestRun} */
  const run = {
    byPackage: new Map(packages.map((name) => [name, { passed: 0, failed: 0, skipped: 0 }])),
    files: [],
    problems: [],
    ms: finished.ms,
    logFile,
  };
  if (finished.timedOut) run.problems.push(`Vitest did not finish within ${timeoutMs / 1000} s and was killed`);
  readReport(report, run);
  checkWorkers(probeDir, runtime, run);
  if (finished.code !== 0 && run.problems.length === 0 && run.files.every((file) => file.counts.failed === 0)) {
    run.problems.push(`Vitest exited with code ${finished.code} with no failed test (an unhandled error; see the log)`);
  }
  rmSync(work, { recursive: true, force: true });
  if (run.problems.length === 0 && run.files.every((file) => file.counts.failed === 0))
    rmSync(logFile, { force: true });
  return run;
}

/**
 * Adds the JSON report's tests to `run`, per file and per package.
 * @param {string} report
 * @param {VitestRun} run
 */
function readReport(report, run) {
  /**
   * @type {{
   *   numTotalTests: number,
   *   testResults: {
   *     name: string,
   *     status: string,
   *     message?: string,
   *     assertionResults: { status: string, fullName: string, failureMessages?: string[] }[],
   *   }[],
   * }}
   */
  let result;
  try {
    result = JSON.parse(readFileSync(report, "utf8"));
  } catch (error) {
    run.problems.push(`No Vitest report: ${String(error)}`);
    return;
  }
  for (const fileResult of result.testResults) {
    const file = relative(repoRoot, fileResult.name).split(sep).join("/");
    const pkg = file.split("/")[1] ?? "?";
    /** @type {FileResult} */
    const entry = { file, pkg, counts: { passed: 0, failed: 0, skipped: 0 }, failures: [] };
    for (const test of fileResult.assertionResults) {
      if (test.status === "passed") entry.counts.passed += 1;
      else if (test.status === "failed") {
        entry.counts.failed += 1;
        entry.failures.push(`${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      } else entry.counts.skipped += 1; // skipped, pending, todo
    }
    // A file that failed to load or whose hooks failed has no failed test to count: count it once.
    if (fileResult.status === "failed" && entry.counts.failed === 0) {
      entry.counts.failed = 1;
      entry.failures.push(`the file failed: ${firstLine(fileResult.message)}`);
    }
    run.files.push(entry);
    const total = run.byPackage.get(pkg) ?? { passed: 0, failed: 0, skipped: 0 };
    total.passed += entry.counts.passed;
    total.failed += entry.counts.failed;
    total.skipped += entry.counts.skipped;
    run.byPackage.set(pkg, total);
  }
  if (result.testResults.length === 0) run.problems.push("Vitest found no test file");
}

/**
 * Checks that every test worker was the runtime asked for.
 * @param {string} probeDir
 * @param {Runtime} runtime
 * @param {VitestRun} run
 */
function checkWorkers(probeDir, runtime, run) {
  const seen = new Set(readdirSync(probeDir).map((name) => readFileSync(join(probeDir, name), "utf8")));
  if (seen.size === 0 && run.files.length > 0)
    run.problems.push("No test worker reported its runtime (probe.setup.mjs did not run)");
  for (const worker of seen) {
    if (!worker.startsWith(expectedWorker(runtime)))
      run.problems.push(`A test worker ran on ${worker}, not on ${runtime.label}`);
  }
}

/** @param {string | undefined} text */
function firstLine(text) {
  return (
    (text ?? "")
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim()
      .slice(0, 300) ?? ""
  );
}
