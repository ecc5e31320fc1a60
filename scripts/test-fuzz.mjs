#!/usr/bin/env node
// `pnpm test:fuzz [--minutes N] [--runs R]`: property and differential fuzzing for N minutes (default
// 1). Each round runs every fast-check suite (the files test:stress finds: reader scripts against the
// asyncio model with random chunkings, aborts at random points and every overflow policy, readLines()
// against readLine(), the byte buffer against a plain-array model, the memory transport, and TextReader
// against Python's line splitting in several encodings) with a fresh random seed (FC_SEED) and R cases
// per property (FC_NUM_RUNS, default 1,000), until the time is up. A round that fails prints its seed
// and the command that replays it; the script exits 1 if any round failed. Extra arguments go to Vitest.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { PROPERTY_FILES } from "./_property-files.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `--minutes N`, `--runs R` (also `--name=value`); everything else goes to Vitest. */
const options = { minutes: 1, runs: 1_000 };
const extra = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const match = /^--(minutes|runs)(?:=(.*))?$/.exec(arg);
  if (match === null) extra.push(arg);
  else options[match[1]] = Number(match[2] ?? process.argv[++i]);
}
const { minutes, runs } = options;
if (!(minutes > 0) || !Number.isInteger(runs) || runs < 1) {
  console.error("Usage: pnpm test:fuzz [--minutes N] [--runs R]  (N > 0 minutes, R ≥ 1 cases per property and round)");
  process.exit(2);
}

console.log(
  `fuzzing for ${minutes} min, ${runs} cases per property per round, ${PROPERTY_FILES.length} files:\n  ${PROPERTY_FILES.join("\n  ")}`,
);
const work = mkdtempSync(join(tmpdir(), "asyncstreams-fuzz-"));
const deadline = Date.now() + minutes * 60_000;
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
} while (Date.now() < deadline);
rmSync(work, { recursive: true, force: true });
// Each passed test ran up to R cases (a property that pins its own numRuns runs that many; example tests run once).
console.log(
  `\n${rounds} rounds, ${properties} test runs (≤ ${(properties * runs).toLocaleString("en")} generated cases), ${failures.length} failed rounds`,
);
process.exit(failures.length === 0 ? 0 : 1);
