// @ts-check
// User-space instructions per pass, counted by valgrind's callgrind: a figure that a shared, noisy
// machine does not move (wall and CPU time on a 2-vCPU VM spread ±20–40 % on W5/W6). Each
// implementation's child runs twice under callgrind, with 1 and with 1 + N timed passes; the
// difference over N is one pass, without start-up, module loading and the warm-up pass.
//
//   pnpm build && node bench/src/count-instructions.js --workload W6 --impl asyncstreams,node-raw
//   node bench/src/count-instructions.js --workload W5 --impl asyncstreams,node-raw --passes 4
//
// Children run with --quick parameters (a pass under callgrind runs ~50 × slower). The kernel's
// share (the socket syscalls) is not counted: compare it with `strace -c`. Children run with V8's
// `--single-threaded`: with concurrent JIT and GC threads, when code tiers up and when GC runs moved
// from count to count, and two counts of the same code spread 183–584 M (W1); on one thread W1's
// agree within about 1.5 %. Over sockets (W5, W6) how reads batch still varies: three counts of
// the same code spread ±10 %. Take several, and read their range.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { workloadById } from "./workloads/index.js";

const { values } = parseArgs({
  options: {
    workload: { type: "string" },
    impl: { type: "string", default: "asyncstreams,node-raw" },
    passes: { type: "string", default: "2" },
  },
});
if (values.workload === undefined) throw new TypeError("--workload is required, for example --workload W6");
const workload = workloadById(values.workload);
const passes = Number(values.passes);
if (!Number.isInteger(passes) || passes < 1) throw new TypeError("--passes takes a positive integer");
const impls = values.impl.split(",").filter((name) => name !== "");
if (impls.length === 0) throw new TypeError("--impl takes a comma-separated list, for example asyncstreams,node-raw");
if (spawnSync("valgrind", ["--version"]).error !== undefined)
  throw new Error("valgrind is not installed: on Debian, apt-get install valgrind");

const child = join(dirname(fileURLToPath(import.meta.url)), "child.js");

/**
 * Instructions callgrind counted over one whole child process.
 *
 * @param {string} impl
 * @param {number} runs Timed passes.
 * @returns {number}
 */
function countChild(impl, runs) {
  const out = join(tmpdir(), `count-instructions-${process.pid}.callgrind`);
  const node = [process.execPath, "--single-threaded", "--expose-gc", child];
  const args = ["--tool=callgrind", `--callgrind-out-file=${out}`, ...node];
  args.push("--workload", workload.id, "--impl", impl, "--runs", String(runs), "--quick");
  const result = spawnSync("valgrind", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  rmSync(out, { force: true });
  const collected = /Collected : (\d+)/.exec(result.stderr ?? "");
  if (result.status !== 0 || collected === null) {
    const tail = (result.stderr ?? "").trim().split("\n").slice(-10).join("\n");
    throw new Error(`${impl} on ${workload.id} under callgrind failed (status ${result.status}):\n${tail}`);
  }
  return Number(collected[1]);
}

const params = workload.params(true);
process.stdout.write(`${workload.id} (--quick: ${JSON.stringify(params)}), instructions per pass:\n`);
/** @type {Map<string, number>} */
const perPass = new Map();
for (const impl of impls) {
  const one = countChild(impl, 1);
  const more = countChild(impl, 1 + passes);
  perPass.set(impl, (more - one) / passes);
  process.stdout.write(`  ${impl.padEnd(16)} ${((more - one) / passes / 1e6).toFixed(1)} M\n`);
}
const anchor = perPass.get("node-raw");
if (anchor !== undefined) {
  for (const [impl, count] of perPass) {
    if (impl !== "node-raw") process.stdout.write(`  ${impl} ÷ node-raw: ${(count / anchor).toFixed(3)}\n`);
  }
}
