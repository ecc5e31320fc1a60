// @ts-check
// Vitest setup file (see vitest.config.ts): with FC_NUM_RUNS set, every fast-check property that
// does not pin its own `numRuns` runs that many cases. `pnpm test:stress` sets it (10,000 by default).
// The properties read it back (`fc.readConfigureGlobal().numRuns ?? default`), so all of them scale.
// FC_SEED (set by `pnpm test:fuzz` for each round) fixes fast-check's seed, to replay a failure.
import fc from "fast-check";

// Browsers (`pnpm test:browser`) have no `process`: there the properties run their default counts.
const runs = globalThis.process?.env.FC_NUM_RUNS;
if (runs !== undefined && runs !== "") {
  const numRuns = Number(runs);
  if (!Number.isInteger(numRuns) || numRuns < 1)
    throw new RangeError(`FC_NUM_RUNS must be a positive integer, not ${runs}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), numRuns });
}

const seed = globalThis.process?.env.FC_SEED;
if (seed !== undefined && seed !== "") {
  const value = Number(seed);
  if (!Number.isInteger(value)) throw new RangeError(`FC_SEED must be an integer, not ${seed}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: value });
}
