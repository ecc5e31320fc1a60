// @ts-check
// `node bench/src/quic/main.js [--quick] [--runs N]`: lines over one QUIC stream, the package
// against the same stack read directly, on Node (@matrixai/quic) and on Deno (its own QUIC), and
// each stack's raw throughput (its direct pass). Prints a table; exits 1 when a pass fails.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick") || process.argv.includes("--smoke");
const runsAt = process.argv.indexOf("--runs");
const runs = runsAt === -1 ? (quick ? 1 : 5) : Number(process.argv[runsAt + 1]);
// @matrixai/quic moves a few MB/s at best: its size is far smaller than Deno's.
const sizes = { node: quick ? 1024 : 16_384, deno: quick ? 50_000 : 1_000_000 };

/** @type {{ runtime: string, impl: string, lines: number, bytes: number, seconds: number }[]} */
const passes = [];
let failed = false;

/**
 * @param {string} label
 * @param {string} binary
 * @param {string[]} args
 */
function collect(label, binary, args) {
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 900_000 });
  if (result.status !== 0) {
    failed = true;
    console.error(`${label} failed (status ${String(result.status)}): ${result.stderr.slice(-2000)}`);
  }
  for (const line of result.stdout.split("\n")) if (line.startsWith("{")) passes.push(JSON.parse(line));
}

collect("node", process.execPath, [join(here, "node-quic.js"), String(sizes.node), String(runs)]);
let deno;
try {
  const require = createRequire(join(here, "../../../runtimes/package.json"));
  deno = join(dirname(require.resolve("@deno/linux-x64-glibc/package.json")), "deno");
} catch {
  console.warn("warning: Deno rows skipped: @deno/linux-x64-glibc is not installed (runtimes/)");
}
if (deno !== undefined)
  collect("deno", deno, [
    "run",
    "-A",
    "--unstable-net",
    "--no-lock",
    join(here, "../../deno/quic.js"),
    String(sizes.deno),
    String(runs),
  ]);

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
console.log(
  "\nQUIC: lines of 64 bytes over one stream, read with readLine() (asyncstreams), readLines() (asyncstreams-batch) or split by hand from the stack's ReadableStream (stack-direct)",
);
console.log(`runtime  impl               lines      Mlines/s   MB/s      ratio   (median of ${runs})`);
for (const runtime of ["node", "deno"]) {
  const rows = ["stack-direct", "asyncstreams", "asyncstreams-batch"].map((impl) => {
    const own = passes.filter((p) => p.runtime === runtime && p.impl === impl);
    const seconds = median(own.map((p) => p.seconds));
    const first = own[0];
    return { impl, lines: first?.lines ?? 0, bytes: first?.bytes ?? 0, seconds };
  });
  const direct = rows[0];
  if (direct === undefined || direct.lines === 0) continue;
  for (const row of rows) {
    if (row.lines === 0) continue;
    const ratio = direct.seconds / row.seconds;
    console.log(
      `${runtime.padEnd(8)} ${row.impl.padEnd(18)} ${String(row.lines).padEnd(10)} ${(row.lines / row.seconds / 1e6).toFixed(3).padEnd(10)} ${(row.bytes / row.seconds / 1e6).toFixed(2).padEnd(9)} ${ratio.toFixed(2)}`,
    );
  }
}
process.exit(failed ? 1 : 0);
