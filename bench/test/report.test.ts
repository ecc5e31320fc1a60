import { describe, expect, it } from "vitest";
import { formatPeerTable, peerRatios, type Row } from "../src/lib/report.js";

/** A row with only what the ratios read. */
function row(workload: string, impl: string, median: number, better: "higher" | "lower" = "higher"): Row {
  return {
    workload,
    impl,
    unit: "x/s",
    better,
    params: { limit: 65_536 },
    figures: [median],
    seconds: [],
    cpuSeconds: [],
    measures: [],
    median,
    vsAnchor: null,
    vsCpython: null,
    maxRssKiB: 0,
  };
}

describe("peerRatios() and formatPeerTable() (the report's vs-peers section)", () => {
  const rows = [
    row("W1", "asyncstreams", 6),
    row("W1", "node-raw", 5),
    row("W1", "split2", 4),
    row("W1-batch", "asyncstreams", 12), // a variant of W1: compared with W1's peers
    row("W2", "it-length-prefixed", 1), // no asyncstreams row for W2: no ratio
    row("W3b", "asyncstreams", 10, "lower"),
    row("W3b", "split2", 40, "lower"),
    { ...row("W5", "split2", 0), error: "failed" },
    row("W5", "asyncstreams", 3),
  ];
  const ratios = peerRatios(rows, new Set(["split2", "it-length-prefixed"]), new Map([["W1-batch", "W1"]]));

  it("gives asyncstreams' speed over each peer row that has an asyncstreams row beside it", () => {
    expect(ratios).toEqual([
      { workload: "W1", peer: "split2", ratio: 1.5 },
      { workload: "W1-batch", peer: "split2", ratio: 3 },
      { workload: "W3b", peer: "split2", ratio: 4 }, // a time: 4 × faster is 40 ms over 10 ms
    ]);
  });

  it("renders them as an aligned table, and nothing when there are none", () => {
    expect(formatPeerTable(ratios).split("\n")).toEqual([
      "workload  peer    asyncstreams ×",
      "--------  ------  --------------",
      "W1        split2            1.50",
      "W1-batch  split2            3.00",
      "W3b       split2            4.00",
    ]);
    expect(formatPeerTable([])).toBe("");
  });
});
