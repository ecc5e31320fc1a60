#!/usr/bin/env node
// `pnpm test:fuzz [--minutes N | --cpu-minutes N] [--runs R]`: property and differential fuzzing for N
// minutes of wall time (default 1), or until the rounds have used N minutes of CPU time (Linux: read
// from /proc, summed over every process of the rounds, so all cores count). Each round runs every
// fast-check suite (the files test:stress finds: reader scripts against the asyncio model with random
// chunkings, aborts at random points and every overflow policy, readLines() against readLine(), the
// byte buffer against a plain-array model, the memory transport, and TextReader against Python's line
// splitting in several encodings) with a fresh random seed (FC_SEED) and R cases per property
// (FC_NUM_RUNS, default 1,000), until the time is up. A round that fails prints its seed and the
// command that replays it; the script exits 1 if any round failed. Extra arguments go to Vitest.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { PROPERTY_FILES } from "./_property-files.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `--minutes N`, `--runs R` (also `--name=value`); everything else goes to Vitest. */
const options = { minutes: undefined, "cpu-minutes": undefined, runs: 1_000 };
const extra = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const match = /^--(minutes|cpu-minutes|runs)(?:=(.*))?$/.exec(arg);
  if (match === null) extra.push(arg);
  else options[match[1]] = Number(match[2] ?? process.argv[++i]);
}
const { runs } = options;
const cpuMinutes = options["cpu-minutes"];
const minutes = options.minutes ?? (cpuMinutes === undefined ? 1 : Infinity);
const usage =
  "Usage: pnpm test:fuzz [--minutes N | --cpu-minutes N] [--runs R]  (N > 0, R ≥ 1 cases per property and round)";
if (
  !(minutes > 0) ||
  (cpuMinutes !== undefined &&
    (!(cpuMinutes > 0) || options.minutes !== undefined || !existsSync("/proc/self/stat"))) ||
  !Number.isInteger(runs) ||
  runs < 1
) {
  console.error(usage + (existsSync("/proc/self/stat") ? "" : "\n--cpu-minutes needs /proc (Linux)"));
  process.exit(2);
}

/**
 * CPU seconds used by this script's waited-for children (and theirs): `cutime + cstime` of
 * /proc/self/stat, in clock ticks of 1/100 s (USER_HZ on Linux); `undefined` where /proc is missing.
 */
function childCpuSeconds() {
  if (!existsSync("/proc/self/stat")) return undefined;
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the parenthesised command name, which may itself hold spaces; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
const cpuAtStart = childCpuSeconds();

console.log(
  `fuzzing for ${cpuMinutes === undefined ? `${minutes} min` : `${cpuMinutes} CPU-min`}, ${runs} cases per property per round, ${PROPERTY_FILES.length} files:\n  ${PROPERTY_FILES.join("\n  ")}`,
);
const work = mkdtempSync(join(tmpdir(), "asyncstreams-fuzz-"));
const deadline = Date.now() + minutes * 60_000;
const startedAt = Date.now();
let rounds = 0;
let properties = 0;
const failures = [];
do {
  const seed = randomInt(2 ** 31);
  const report = join(work, `round-${rounds}.json`);
  const run = spawnSync(
    "pnpm",
    [
      "exec",
      "vitest",
      "run",
      "--testTimeout=0",
      "--reporter=dot",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...PROPERTY_FILES,
      ...extra,
    ],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, FC_SEED: String(seed), FC_NUM_RUNS: String(runs) },
    },
  );
  rounds++;
  const results = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : undefined;
  const passed = results?.numPassedTests ?? 0;
  properties += passed;
  const failed = (results?.testResults ?? []).flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === "failed")
      .map((test) => ({
        file: file.name,
        title: test.fullName,
        message: String(test.failureMessages?.[0] ?? "")
          .split("\n")
          .slice(0, 6)
          .join("\n"),
      })),
  );
  if (run.status !== 0 || failed.length > 0) {
    failures.push({ seed, failed });
    console.log(`round ${rounds}: seed ${seed}: FAILED`);
    for (const test of failed)
      console.log(
        `  ${test.title}\n    ${test.message.replaceAll("\n", "\n    ")}\n  replay: FC_SEED=${seed} FC_NUM_RUNS=${runs} pnpm exec vitest run ${test.file}`,
      );
    if (failed.length === 0)
      console.log(
        `  vitest exited with ${run.status}; replay: FC_SEED=${seed} FC_NUM_RUNS=${runs} pnpm exec vitest run ${PROPERTY_FILES.join(" ")}`,
      );
  } else {
    console.log(`round ${rounds}: seed ${seed}: ${passed} tests passed`);
  }
} while (cpuMinutes === undefined ? Date.now() < deadline : childCpuSeconds() - cpuAtStart < cpuMinutes * 60);
rmSync(work, { recursive: true, force: true });
// Each passed test ran up to R cases (a property that pins its own numRuns runs that many; example tests run once).
const cpuUsed = childCpuSeconds();
console.log(
  `\n${((Date.now() - startedAt) / 60_000).toFixed(1)} min wall` +
    (cpuUsed === undefined ? "" : `, ${((cpuUsed - cpuAtStart) / 60).toFixed(1)} CPU-min`) +
    `; ${rounds} rounds, ${properties} test runs (≤ ${(properties * runs).toLocaleString("en")} generated cases), ${failures.length} failed rounds`,
);
process.exit(failures.length === 0 ? 0 : 1);
