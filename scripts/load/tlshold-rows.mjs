// @ts-check
// S6's rows for `pnpm test:load` (main.mjs): one held-TLS and handshake-churn run (tlshold.mjs) against
// its pass criteria.
import { fixed } from "./_child.mjs";

/**
 * The S6 rows for one run of `runTlsHold()`.
 * @param {Awaited<ReturnType<typeof import("./tlshold.mjs").runTlsHold>>} r
 * @param {boolean} defaultHold the default run's 60 s hold, which the first row marks as short of
 *   reliability.md's 10 minutes (--long holds them; --quick is short by design)
 * @returns {import("./hostile-rows.mjs").Row[]}
 */
export function tlsHoldRows(r, defaultHold) {
  const [fdsBase, fdsLoaded, fdsAfterHold, fdsEnd] = r.fds;
  const [timersBase, timersLoaded, timersAfterHold, timersEnd] = r.timers;
  return [
    {
      target: "S6",
      metric: `${r.held.toLocaleString("en")} verified TLS conns held ${r.holdSeconds} s${defaultHold ? " (reliability.md: 10 min, --long)" : ""}: failed handshakes; dropped while held; echo at the end`,
      figure: `${r.heldFailed}; ${r.droppedWhileHeld}; ${r.echoed}/${r.held} (opened at ${Math.round(r.openRate)}/s)`,
      goal: `0; 0; ${r.held}/${r.held}`,
      pass: r.heldFailed === 0 && r.droppedWhileHeld === 0 && r.echoed === r.held,
    },
    {
      target: "S6",
      metric: "server RSS per held TLS conn (after GC); RSS first → last second of the hold",
      figure: `${fixed(r.kibPerConnection)} KiB (${fixed(r.rssBaselineMiB)} → ${fixed(r.rssLoadedMiB)} MiB); ${fixed(r.rssFirstMiB)} → ${fixed(r.rssLastMiB)} MiB`,
      goal: "≤ 64 KiB/conn",
      pass: r.kibPerConnection <= 64,
    },
    {
      target: "S6",
      metric: `${r.churn.toLocaleString("en")} handshake churn cycles, ${r.inFlight} in flight (connect → handshake → line → close): failed; rate; handshake p99`,
      figure: `${r.churnFailed}; ${Math.round(r.churnRate).toLocaleString("en")}/s in ${fixed(r.churnSeconds)} s; ${fixed(r.handshakeP99Ms, 0)} ms`,
      goal: "0 failed",
      pass: r.churnFailed === 0,
    },
    {
      target: "S6",
      metric: `of those, ${r.stalls} peers never send a ClientHello (handshakeTimeout ${r.handshakeTimeoutMs} ms): closed (min / max lifetime); reported to onHandshakeError (codes)`,
      figure: `${r.stallsClosed}/${r.stalls} (${fixed(r.stallMinMs, 0)} / ${fixed(r.stallMaxMs, 0)} ms); ${r.reported} (${r.reasons})`,
      goal: `all, within timeout + 1 s (T8 checks + 100 ms); ${r.stalls}`,
      pass: r.stallsClosed === r.stalls && r.reported === r.stalls,
    },
    {
      target: "S6",
      metric: "server fds: baseline / held / after the hold / after the churn",
      figure: `${fdsBase} / ${fdsLoaded} / ${fdsAfterHold} / ${fdsEnd}`,
      goal: "after ≤ baseline + 5",
      pass: Math.max(fdsAfterHold ?? Infinity, fdsEnd ?? Infinity) <= (fdsBase ?? 0) + 5,
    },
    {
      target: "S6",
      metric:
        "server active timers (handshake-timeout leaks, D15): baseline / held / after the hold / after the churn; handles",
      figure: `${timersBase} / ${timersLoaded} / ${timersAfterHold} / ${timersEnd}; ${r.handles[0]} → ${r.handles[1]}`,
      goal: "back to baseline",
      pass:
        (timersAfterHold ?? Infinity) <= (timersBase ?? 0) &&
        (timersEnd ?? Infinity) <= (timersBase ?? 0) &&
        (r.handles[1] ?? Infinity) <= (r.handles[0] ?? 0),
    },
    {
      target: "S6",
      metric: "server heap after GC: baseline → after the churn (TLS sockets and contexts collectable, D15); RSS after",
      figure: `${fixed(r.heapMiB[0] ?? NaN, 2)} → ${fixed(r.heapMiB[1] ?? NaN, 2)} MiB; ${fixed(r.rssEndMiB)} MiB`,
      goal: "≤ baseline + 2 MiB (100 B per cycle at 20,000)",
      pass: (r.heapMiB[1] ?? Infinity) <= (r.heapMiB[0] ?? 0) + 2,
    },
  ];
}
