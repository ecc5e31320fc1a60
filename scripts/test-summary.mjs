#!/usr/bin/env node
// Runs the whole Vitest suite once and ends with the plain line `N passed, N failed` that CI reads.
// Extra arguments go to Vitest (for example a file filter).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "asyncstreams-vitest-"));
const report = join(dir, "report.json");
const vitest = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests;
  failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  skipped = result.numPendingTests + result.numTodoTests;
} catch (error) {
  console.error(`Cannot read the Vitest report: ${String(error)}`);
  failed += 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const status = vitest.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a crash or an unhandled error with every test green still fails
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
