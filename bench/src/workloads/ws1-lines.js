// @ts-check
/** @import { NetWorkload } from "../lib/types.js" */

/**
 * WS1: lines over a WebSocket. One connection on 127.0.0.1; the server (`ws`) sends 1,000,000
 * lines of 63 × "x" + "\n" packed in 64 KiB binary messages (1,024 lines each), keeping at most
 * 1 MiB in flight; the client reads every line. asyncstreams: `openWebSocketConnection()` over
 * `ws`'s WebSocket with Node's byte search, `readLine()` per line; node-raw: a `ws` client whose
 * 'message' handler splits lines by hand (the same `LineSplitter` as W5). The clock runs from the
 * client's request to its last line.
 *
 * @type {NetWorkload}
 */
export const ws1Lines = {
  id: "WS1",
  base: "WS1",
  kind: "tcp",
  title: "WebSocket: 1,000,000 lines of 63 × 'x' + '\\n' in 64 KiB binary messages; the client reads each line",
  unit: "Mlines/s",
  better: "higher",
  impls: ["asyncstreams", "node-raw"],
  params: (quick) => ({ items: quick ? 100_000 : 1_000_000, limit: 65_536 }),
  warmup: (params) => ({ ...params, items: Math.ceil((params.items ?? 0) / 10) }),
  figure: (params, seconds) => (params.items ?? 0) / seconds / 1e6,
};

/**
 * WS1-batch: WS1's stream read with `readLines()`, asyncstreams' batch read (one await per batch of
 * buffered lines, where `readLine()` pays one per line). Its ratios use WS1's node-raw row: the
 * hand-written splitter has no await per line either.
 *
 * @type {NetWorkload}
 */
export const ws1Batch = {
  ...ws1Lines,
  id: "WS1-batch",
  impls: ["asyncstreams"],
  compareWith: "WS1",
  title: "WS1's stream; readLines() until empty (asyncstreams' batch read)",
  params: (quick) => ({ ...ws1Lines.params(quick), batch: true }),
};
