// @ts-check
// Runs one (workload, Node implementation) pair in this fresh process and prints one JSON line:
// { seconds: number[], cpuSeconds: number[], measures?: object[], maxRssKiB: number }. Started by
// main.js; run by hand to profile one pair:
//   node --cpu-prof bench/src/child.js --workload W1 --impl asyncstreams --runs 3
//   node --expose-gc bench/src/child.js --workload M1 --impl node-raw --runs 1 --quick
import process from "node:process";
import { parseArgs } from "node:util";
import { implByName } from "./impl/index.js";
import { workloadById } from "./workloads/index.js";

/** @import { Measure, MemoryWorkload, NodeImpl, PassResult, WorkloadParams } from "./lib/types.js" */

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

/**
 * Runs TCP or scale passes: each starts its own server and clients, times its measured part and
 * checks its counts.
 *
 * @param {(params: WorkloadParams) => Promise<PassResult>} runPass
 * @param {WorkloadParams} passParams
 * @param {number} passes
 * @returns {Promise<{ seconds: number[], cpuSeconds: number[], measures: Measure[] }>}
 */
async function measureNet(runPass, passParams, passes) {
  /** @type {number[]} */
  const seconds = [];
  /** @type {number[]} */
  const cpuSeconds = [];
  /** @type {Measure[]} */
  const measures = [];
  for (let pass = 0; pass < passes; pass++) {
    gc();
    const result = await runPass(passParams);
    seconds.push(result.seconds);
    cpuSeconds.push(result.cpuSeconds);
    measures.push(result.measure ?? {});
  }
  return { seconds, cpuSeconds, measures };
}

/** @type {{ seconds: number[], cpuSeconds: number[], measures?: Measure[] }} */
let result;
if (workload.kind === "memory") {
  if (entry.load === undefined) throw new RangeError(`${entry.name} does not run in Node`);
  const impl = await entry.load();
  await measure(impl, workload, workload.warmup(params), 1); // untimed warm-up at 10 %
  result = await measure(impl, workload, params, runs);
} else {
  if (entry.loadNet === undefined) throw new RangeError(`${entry.name} does not run in Node`);
  const runPass = (await entry.loadNet()).passes[workload.base];
  if (runPass === undefined) throw new RangeError(`${entry.name} does not run ${workload.id}`);
  await measureNet(runPass, workload.warmup(params), 1); // untimed warm-up connection(s)
  result = await measureNet(runPass, params, runs);
}
process.stdout.write(`${JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
