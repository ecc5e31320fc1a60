// @ts-check
// Runs one (workload, Node implementation) pair in this fresh process and prints one JSON line:
// { seconds: number[], cpuSeconds: number[], maxRssKiB: number }. Started by main.js; run by hand to profile one pair:
//   node --cpu-prof bench/src/child.js --workload W1 --impl asyncstreams --runs 3
import process from "node:process";
import { parseArgs } from "node:util";
import { implByName } from "./impl/index.js";
import { workloadById } from "./workloads/index.js";

/** @import { MemoryWorkload, NodeImpl, WorkloadParams } from "./lib/types.js" */

const { values } = parseArgs({
  options: {
    workload: { type: "string" },
    impl: { type: "string" },
    runs: { type: "string", default: "3" },
    params: { type: "string" },
    quick: { type: "boolean", default: false },
  },
});
if (values.workload === undefined || values.impl === undefined) {
  throw new TypeError("Usage: child.js --workload W1 --impl node-raw [--runs 3] [--params JSON] [--quick]");
}
const workload = workloadById(values.workload);
const entry = implByName(values.impl);
if (entry.load === undefined) throw new RangeError(`${entry.name} does not run in Node`);
const impl = await entry.load();
/** @type {WorkloadParams} */
const params = values.params === undefined ? workload.params(values.quick) : JSON.parse(values.params);
const runs = Number(values.runs);

/** `node --expose-gc` lets each pass start from a collected heap. */
const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc ?? (() => {});

/**
 * @param {NodeImpl} implementation
 * @param {MemoryWorkload} memoryWorkload
 * @param {WorkloadParams} passParams
 * @param {number} passes
 * @returns {Promise<{ seconds: number[], cpuSeconds: number[] }>} Wall-clock and CPU (user + system,
 *   all threads) seconds of each pass.
 */
async function measure(implementation, memoryWorkload, passParams, passes) {
  const data = memoryWorkload.build(passParams); // before any timer
  /** @type {number[]} */
  const seconds = [];
  /** @type {number[]} */
  const cpuSeconds = [];
  for (let pass = 0; pass < passes; pass++) {
    gc();
    const cpu = process.cpuUsage();
    seconds.push(await implementation.runPass(memoryWorkload, data, passParams));
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  return { seconds, cpuSeconds };
}

await measure(impl, workload, workload.warmup(params), 1); // untimed warm-up at 10 %
const { seconds, cpuSeconds } = await measure(impl, workload, params, runs);
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
