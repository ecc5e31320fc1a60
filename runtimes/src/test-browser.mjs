#!/usr/bin/env node
// @ts-check
// `pnpm test:browser`: the core packages' own test files and the Web Worker smoke checks in headless
// Chromium and Firefox (Vitest browser mode, runtimes/browser/vitest.config.mjs). Prints Vitest's
// usual output, then the counts per package and browser, every skipped test with its reason, every
// failure, and last the line `N passed, N failed` (plus `, N skipped`). Exits 1 on any failure.
// Extra arguments go to Vitest (a file filter, `--project firefox`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./vitest-run.mjs";

/** @typedef {import("../browser/summary-reporter.mjs").BrowserSummary} BrowserSummary */

const RUN_DEADLINE_MS = 25 * 60_000;

/** The browsers of the config's `instances`, with the binary each one needs (overridable as there). */
const browsers = [
  {
    project: "chromium",
    label: "Chromium",
    env: "CHROMIUM_PATH",
    path: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    apt: "chromium",
  },
  {
    project: "firefox",
    label: "Firefox",
    env: "FIREFOX_PATH",
    path: process.env.FIREFOX_PATH || "/usr/bin/firefox-esr",
    apt: "firefox-esr",
  },
];

/**
 * The browser's version line, such as `Chromium 150.0.7871.100` (Debian's chromium wrapper also
 * prints shell noise on stderr, which is ignored).
 * @param {string} path
 */
function browserVersion(path) {
  const result = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const line = (result.stdout ?? "").split("\n").find((text) => /\d+\.\d+/.test(text)) ?? "";
  return line
    .replace(/ built on .*$/, "")
    .replace(/^Mozilla /, "")
    .trim();
}

/**
 * Which package a test file belongs to: `packages/<name>/...`, or `worker` for runtimes/browser.
 * @param {string} file
 */
function packageOf(file) {
  const match = /^packages\/([^/]+)\//.exec(file);
  return match ? match[1] : "worker";
}

/** `--project <name>` arguments choose browsers; every other argument goes to Vitest. */
const args = process.argv.slice(2);
const chosen = args.flatMap((arg, index) => (args[index - 1] === "--project" ? [arg] : []));
const vitestArgs = args.filter((arg, index) => arg !== "--project" && args[index - 1] !== "--project");
const wanted = browsers.filter((browser) => chosen.length === 0 || chosen.includes(browser.project));
const present = wanted.filter((browser) => existsSync(browser.path));
const missing = wanted.filter((browser) => !existsSync(browser.path));
/** Problems that are not a test's own failure: a missing browser, a file that did not load, a crash. */
const problems = missing.map(
  (browser) =>
    `${browser.label} is missing: no ${browser.path} (install Debian's \`${browser.apt}\`, or set ${browser.env})`,
);
const labels = new Map(
  present.map((browser) => [browser.project, `${browser.label} ${browserVersion(browser.path).replace(/^\S+ /, "")}`]),
);

/**
 * One Vitest run in one browser. The browsers run one after the other, not side by side: on a
 * 2-core machine that is no slower, and a timing-sensitive test does not share the CPU with the
 * other browser.
 * @param {(typeof browsers)[number]} browser
 * @returns {BrowserSummary}
 */
function runIn(browser) {
  const dir = mkdtempSync(join(tmpdir(), "asyncstreams-browser-"));
  const summaryFile = join(dir, "summary.json");
  const vitest = spawnSync(
    process.execPath,
    [
      join(repoRoot, "node_modules", "vitest", "vitest.mjs"),
      "run",
      "--config",
      join(repoRoot, "runtimes", "browser", "vitest.config.mjs"),
      "--project",
      browser.project,
      "--reporter=default",
      `--reporter=${join(repoRoot, "runtimes", "browser", "summary-reporter.mjs")}`,
      ...vitestArgs,
    ],
    {
      cwd: repoRoot,
      stdio: "inherit",
      timeout: RUN_DEADLINE_MS,
      env: { ...process.env, ASYNCSTREAMS_BROWSER_SUMMARY: summaryFile, [browser.env]: browser.path },
    },
  );
  /** @type {BrowserSummary} */
  let result = { tests: [], fileErrors: [], unhandledErrors: [] };
  try {
    result = JSON.parse(readFileSync(summaryFile, "utf8"));
  } catch (error) {
    problems.push(`[${browser.project}] Vitest wrote no summary (${String(error)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (vitest.error !== undefined) problems.push(`[${browser.project}] Vitest did not finish: ${vitest.error.message}`);
  else if (
    vitest.status !== 0 &&
    result.tests.every((test) => test.state !== "failed") &&
    result.fileErrors.length === 0
  ) {
    problems.push(
      `[${browser.project}] Vitest exited with ${String(vitest.status ?? vitest.signal)} although no test failed (see its output above)`,
    );
  }
  return result;
}

/** @type {BrowserSummary} */
const summary = { tests: [], fileErrors: [], unhandledErrors: [] };
for (const browser of present) {
  const started = performance.now();
  const result = runIn(browser);
  console.log(`${labels.get(browser.project)}: ${Math.round((performance.now() - started) / 1000)} s`);
  summary.tests.push(...result.tests);
  summary.fileErrors.push(...result.fileErrors);
  summary.unhandledErrors.push(...result.unhandledErrors.map((message) => `[${browser.project}] ${message}`));
}
for (const { browser, file, message } of summary.fileErrors)
  problems.push(`[${browser}] ${file}: ${message.split("\n")[0]}`);
for (const message of summary.unhandledErrors) problems.push(`unhandled: ${message.split("\n")[0]}`);

/** Counts per package (rows) and browser (columns). */
/** @type {Map<string, Map<string, { passed: number, failed: number, skipped: number }>>} */
const matrix = new Map();
for (const test of summary.tests) {
  const row = matrix.get(packageOf(test.file)) ?? new Map();
  matrix.set(packageOf(test.file), row);
  const counts = row.get(test.browser) ?? { passed: 0, failed: 0, skipped: 0 };
  row.set(test.browser, counts);
  if (test.state === "passed") counts.passed++;
  else if (test.state === "failed") counts.failed++;
  else counts.skipped++;
}
const order = ["buffer", "reader", "writer", "protocol", "worker"];
const rows = [...matrix.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
const columns = present.map((browser) => browser.project);
console.log("\nBrowser tests, passed/failed/skipped (worker = the smoke checks in a module Web Worker):");
console.log(`| package | ${columns.map((project) => labels.get(project)).join(" | ")} |`);
console.log(`| --- |${columns.map(() => " --- |").join("")}`);
for (const name of rows) {
  const cells = columns.map((project) => {
    const counts = matrix.get(name)?.get(project);
    return counts ? `${counts.passed}/${counts.failed}/${counts.skipped}` : "-";
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}

const skipped = summary.tests.filter((test) => test.state !== "passed" && test.state !== "failed");
const unexplained = skipped.filter((test) => test.note === undefined);
console.log(`\nSkipped: ${skipped.length === 0 ? "none" : skipped.length}`);
for (const test of skipped)
  console.log(`- [${test.browser}] ${test.file} > ${test.name}: ${test.note ?? "NO REASON GIVEN"}`);
// A browser skip must say why (`ctx.skip(reason)`): a bare `.skip`/`.skipIf` counts as a failure here.
for (const test of unexplained)
  problems.push(`[${test.browser}] ${test.file} > ${test.name}: skipped without a reason (use ctx.skip("why"))`);

const failedTests = summary.tests.filter((test) => test.state === "failed");
for (const test of failedTests) console.log(`FAILED [${test.browser}] ${test.file} > ${test.name}`);
for (const problem of problems) console.log(`FAILED ${problem}`);

const passed = summary.tests.filter((test) => test.state === "passed").length;
const failed = failedTests.length + problems.length;
console.log(`${passed} passed, ${failed} failed${skipped.length > 0 ? `, ${skipped.length} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
