// @ts-check
// S5's rows for `pnpm test:load` (main.mjs): one hostile-mix run (hostile.mjs) against its pass criteria.
import { fixed } from "./_child.mjs";

/** @typedef {{ target: string, metric: string, figure: string, goal: string, pass: boolean }} Row */

/**
 * The S5 rows for one run of `runHostile()`.
 * @param {Awaited<ReturnType<typeof import("./hostile.mjs").runHostile>>} r
 * @returns {Row[]}
 */
export function hostileRows(r) {
  const ceilingMiB = 64 + (16 * r.connections + 192 * r.planned.long) / 1024;
  return [
    {
      target: "S5",
      metric: `${r.connections.toLocaleString("en")} conns: ${r.planned.long} long-line (${r.longLineBytes / 2 ** 20} MiB, no \\n), ${r.planned.slow} slowloris (T = ${r.deadlineMs} ms), ${r.planned.rst} RST mid-line, ${r.legit} legit (paced 100 ms): legit round trips, errors`,
      figure: `${r.legitRoundTrips.toLocaleString("en")}, ${r.legitErrors} errors`,
      goal: "0 errors",
      pass: r.legitErrors === 0 && r.connectErrors === 0,
    },
    {
      target: "S5",
      metric: "legit p99 RTT: quiet baseline (same run) / during the mix (p50) / after",
      figure: `${fixed(r.quietP99, 2)} / ${fixed(r.duringP99, 2)} (${fixed(r.duringP50, 2)}) / ${fixed(r.afterP99, 2)} ms`,
      goal: "during ≤ 2× quiet (10 ms floor for timer jitter, as T6)",
      pass: r.duringP99 <= Math.max(2 * r.quietP99, 10),
    },
    {
      target: "S5",
      metric: "long-line peers closed (max lifetime); server LimitOverrunErrors",
      figure: `${r.longClosed}/${r.planned.long} (${fixed(r.longMaxMs, 0)} ms); ${r.overruns}`,
      goal: `all, by the limit (${r.planned.long})`,
      pass: r.longClosed === r.planned.long && r.overruns === r.planned.long,
    },
    {
      target: "S5",
      metric: "slowloris closed within T + 1 s (max lifetime); server read timeouts",
      figure: `${r.slowClosedInTime}/${r.planned.slow} (${fixed(r.slowMaxMs, 0)} ms); ${r.shed}`,
      goal: `all, by the deadline (≥ ${r.planned.slow})`,
      pass: r.slowClosedInTime === r.planned.slow && r.shed >= r.planned.slow,
    },
    {
      target: "S5",
      metric:
        "RST mid-line: ConnectionResetErrors / EOF mid-line seen by handlers; hostile conns that reached a handler and ended by limit + deadline + reset + EOF mid-line (never reached one)",
      figure: `${r.resets} / ${r.partial} of ${r.planned.rst}; ${r.overruns + r.shed + r.resets + r.partial - r.legitErrors}/${r.hostileServed} (${r.hostile - r.hostileServed})`,
      goal: `reported; all (≤ ${r.planned.rst})`,
      pass:
        r.overruns + r.shed + r.resets + r.partial - r.legitErrors === r.hostileServed &&
        r.hostile - r.hostileServed <= r.planned.rst,
    },
    {
      target: "S5",
      metric: "server conns and fds at the end (before the mix)",
      figure: `${r.connectionsAfter} conns, ${r.fdsAfter} fds (${r.fdsBefore})`,
      goal: "0 conns, fds ± 5",
      pass: r.connectionsAfter === 0 && Math.abs(r.fdsAfter - r.fdsBefore) <= 5,
    },
    {
      target: "S5",
      metric: "server RSS peak (sampled every 10 ms; baseline after GC)",
      figure: `${fixed(r.rssPeakMiB)} MiB (baseline ${fixed(r.rssBaselineMiB)} MiB)`,
      goal: `≤ ${fixed(ceilingMiB)} MiB: 64 MiB + 16 KiB/conn (S1) + 192 KiB per long-line peer (T5)`,
      pass: r.rssPeakMiB <= ceilingMiB,
    },
  ];
}
