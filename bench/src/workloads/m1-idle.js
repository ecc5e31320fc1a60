// @ts-check
/** @import { NetWorkload } from "../lib/types.js" */

/**
 * M1: 10,000 idle connections held open by a second process (plain node:net, the same for every
 * implementation); each server connection waits in a `readLine()`. The figure is the server's RSS
 * growth over its baseline (measured after a warm-up connection and a full GC, before the clients
 * connect) divided by the connections, in KiB. The details add the marginal cost: the growth from
 * half the connections to all of them, over the second half (KiB per extra idle connection once the
 * process is warm; without the one-time growth of V8's young generation that the figure includes).
 * One fresh process per pass: RSS never shrinks back, so a second pass in the same process would
 * reuse the first one's pages. When the open-files limit cannot reach 10,000 (+ reserve), the pass
 * holds as many as fit and says so in `details`.
 *
 * @type {NetWorkload}
 */
export const m1Idle = {
  id: "M1",
  base: "M1",
  kind: "scale",
  title: "10,000 idle connections held open by a second process; server RSS growth per connection",
  unit: "KiB/conn",
  better: "lower",
  raiseFdLimit: true,
  params: (quick) => ({ connections: quick ? 200 : 10_000, limit: 65_536 }),
  warmup: (params) => ({ ...params, connections: 1 }),
  figure: (_params, _seconds, measure) => measure["kibPerConnection"] ?? Number.NaN,
  describe: (measure) =>
    [
      `${(measure["connections"] ?? 0).toLocaleString("en-US")} conns${measure["fdLimited"] === 1 ? " (all the fd limit allows)" : ""}`,
      `RSS +${mib(measure["rssGrowthKiB"])}`,
      ...(measure["heapGrowthKiB"] === undefined ? [] : [`JS heap +${mib(measure["heapGrowthKiB"])}`]),
      ...(measure["marginalKiB"] === undefined ? [] : [`marginal ${kib(measure["marginalKiB"])}`]),
      ...(measure["heapMarginalKiB"] === undefined ? [] : [`heap marginal ${kib(measure["heapMarginalKiB"])}`]),
    ].join(", "),
};

/**
 * @param {number | undefined} value KiB.
 * @returns {string}
 */
function kib(value) {
  return `${(value ?? Number.NaN).toFixed(2)} KiB/conn`;
}

/**
 * @param {number | undefined} kib
 * @returns {string}
 */
export function mib(kib) {
  return `${((kib ?? 0) / 1024).toFixed(1)} MiB`;
}
