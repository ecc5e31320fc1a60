#!/usr/bin/env node
// `pnpm test:stress`: the fast-check property suites with FC_NUM_RUNS cases per property
// (10,000 unless FC_NUM_RUNS is already set), and no per-test timeout. vitest.setup.mjs turns
// FC_NUM_RUNS into fast-check's global numRuns; a property that pins its own numRuns keeps it.
// Extra arguments go to Vitest.
import { spawnSync } from "node:child_process";
import { PROPERTY_FILES } from "./_property-files.mjs";

const env = { ...process.env, FC_NUM_RUNS: process.env.FC_NUM_RUNS || "10000" };
console.log(
  `fast-check properties with FC_NUM_RUNS=${env.FC_NUM_RUNS}, in ${PROPERTY_FILES.length} files:\n  ${PROPERTY_FILES.join("\n  ")}`,
);
const run = spawnSync(
  "pnpm",
  ["exec", "vitest", "run", "--testTimeout=0", ...PROPERTY_FILES, ...process.argv.slice(2)],
  { stdio: "inherit", env },
);
process.exit(run.status ?? 1);
