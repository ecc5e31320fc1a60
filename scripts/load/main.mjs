// @ts-check
// `pnpm test:load [--quick]`: the load runs of reliability.md §4 against the built packages.
//   (a) T2: pipelined sequence-numbered lines over 100 connections, 0 lost / duplicated / reordered
//   (b) T6: slowloris shed by per-read deadlines while honest clients keep their latency
//   (c) T10: recovery after file-descriptor exhaustion (server under `ulimit -n 64`)
// Exits 1 if any pass criterion fails. Build first (`pnpm build`); the root script does.
import { runEmfile } from "./emfile.mjs";
import { runPipelined } from "./pipelined.mjs";
import { runSlowloris } from "./slowloris.mjs";

const quick = process.argv.includes("--quick");
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
/** @type {{ target: string, metric: string, figure: string, goal: string, pass: boolean }[]} */
const rows = [];
const fixed = (/** @type {number} */ value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
const startedAt = performance.now();

if (only === undefined || only === "pipelined") {
  const lines = quick ? 100_000 : 1_000_000;
  const r = await runPipelined({ lines, connections: 100 });
  rows.push(
    { target: "T2", metric: `${r.total.toLocaleString("en")} lines over ${r.connections} conns: lost / dup / reordered / failed conns`, figure: `${r.lost} / ${r.duplicated} / ${r.reordered} / ${r.failures}`, goal: "0 / 0 / 0 / 0", pass: r.lost + r.duplicated + r.reordered + r.failures === 0 },
    { target: "T2", metric: "time, rate", figure: `${fixed(r.seconds, 2)} s, ${Math.round(r.rate).toLocaleString("en")} lines/s`, goal: `10^6 in ≤ 10 s (≥ 100,000 lines/s)${quick ? "; not checked in --quick" : ""}`, pass: quick || r.rate >= 100_000 },
  );
}

if (only === undefined || only === "slowloris") {
  const r = await runSlowloris({ attackers: quick ? 200 : 2_000, deadlineMs: 1_000, honestClients: 10 });
  rows.push(
    { target: "T6", metric: `${r.attackers} attackers (1 B/100 ms), T = ${r.deadlineMs} ms: closed within T + 1 s`, figure: `${r.shedInTime}/${r.attackers} (max lifetime ${fixed(r.maxLifetimeMs, 0)} ms; still open ${r.stillOpen}; connect errors ${r.connectErrors})`, goal: "100% by T + 1 s", pass: r.shedInTime === r.attackers },
    { target: "T6", metric: "server read timeouts counted", figure: String(r.serverTimeouts), goal: `= attackers (${r.attackers})`, pass: r.serverTimeouts >= r.attackers },
    { target: "T6", metric: "honest p99 RTT: quiet / during attack (p50) / after shedding", figure: `${fixed(r.quietP99, 2)} / ${fixed(r.duringP99, 2)} (${fixed(r.duringP50, 2)}) / ${fixed(r.afterP99, 2)} ms`, goal: "after shedding ≤ 2× quiet (10 ms floor for timer jitter)", pass: r.afterP99 <= Math.max(2 * r.quietP99, 10) },
    { target: "T6", metric: "honest round trips during the run, errors", figure: `${r.honestRoundTrips}, ${r.honestErrors} errors`, goal: "0 errors", pass: r.honestErrors === 0 },
  );
}

if (only === undefined || only === "emfile") {
  const r = await runEmfile({ clients: 150, fds: 64, fresh: 20 });
  rows.push(
    { target: "T10", metric: `ulimit -n ${r.fds}, ${r.clients} clients: served / closed / left waiting`, figure: `${r.served} / ${r.closed} / ${r.waiting}`, goal: "no crash (baseline 44 served, 106 shed)", pass: r.aliveWhileExhausted },
    { target: "T10", metric: "server CPU while exhausted (2 s, /proc/<pid>/stat)", figure: `${fixed(r.cpuPercent)} %`, goal: "< 5 %", pass: r.cpuPercent < 5 },
    { target: "T10", metric: "recovery after freeing fds; new connections served", figure: `${fixed(r.recoveryMs, 0)} ms; ${r.freshServed}/${r.fresh}`, goal: "≤ 1,000 ms; 20/20", pass: r.recoveryMs <= 1_000 && r.freshServed === r.fresh },
    { target: "T10", metric: "server alive at the end; onError events (codes)", figure: `${r.alive ? "alive" : "DEAD"}; ${r.errorEvents} (${r.errorCodes})`, goal: "alive (an event: reported, not required)", pass: r.alive },
  );
}

const widths = [6, 0, 0, 0, 4];
const table = rows.map((row) => [row.target, row.metric, row.figure, row.goal, row.pass ? "ok" : "FAIL"]);
const header = ["target", "metric", "measured", "target (reliability.md §4)", ""];
for (const cells of [header, ...table]) cells.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
const line = (/** @type {string[]} */ cells) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ");
console.log(`\npnpm test:load${quick ? " --quick" : ""}: ${fixed((performance.now() - startedAt) / 1000)} s on Node ${process.version}\n`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const cells of table) console.log(line(cells));
process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
