import { describe, expect, it } from "vitest";
import { escapeXml, ratioChart } from "../src/lib/svg-chart.js";

interface ChartRow {
  workload: string;
  impl: string;
  vsAnchor: number | null;
}

interface ParsedBar {
  impl: string;
  ratio: number;
  x: number;
  y: number;
  height: number;
}

/** Every attribute of one tag, as strings. */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)="([^"]*)"/g)) found[name ?? ""] = value ?? "";
  return found;
}

/** The bars of one workload's group, in document order. */
function barsOf(svg: string, workload: string): ParsedBar[] {
  const group = svg.match(new RegExp(`<g class="group" data-workload="${workload}">([\\s\\S]*?)</g>`));
  if (group?.[1] === undefined) return [];
  return [...group[1].matchAll(/<rect class="bar"[^>]*>/g)].map((match) => {
    const bar = attributes(match[0]);
    return {
      impl: bar["data-impl"] ?? "",
      ratio: Number(bar["data-ratio"]),
      x: Number(bar.x),
      y: Number(bar.y),
      height: Number(bar.height),
    };
  });
}

const rows: ChartRow[] = [
  { workload: "W1", impl: "asyncstreams", vsAnchor: 2 },
  { workload: "W1", impl: "node-raw", vsAnchor: 1 },
  { workload: "W1", impl: "split2", vsAnchor: 0.5 },
  { workload: "W2", impl: "asyncstreams", vsAnchor: 1.2 },
  { workload: "W2", impl: "node-raw", vsAnchor: 1 },
  { workload: "W2", impl: "it-length-prefixed", vsAnchor: null }, // failed: no bar
  { workload: "W3", impl: "asyncstreams", vsAnchor: null }, // no anchor in the run: no group
];

describe("ratioChart() (the bench's --svg chart)", () => {
  const svg = ratioChart(rows, { anchor: "node-raw" });

  it("is one standalone SVG document with a title naming the anchor", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<svg /g)).toHaveLength(1);
    expect(svg).toContain(
      "<title>Speed relative to node-raw in the same run (&#62; 1: faster; for M1-M3: smaller)</title>",
    );
  });

  it("draws one group per workload with a ratio, in row order, each labelled", () => {
    const groups = [...svg.matchAll(/<g class="group" data-workload="([^"]+)">/g)].map((match) => match[1]);
    expect(groups).toEqual(["W1", "W2"]);
    expect(svg).toMatch(/<text class="label"[^>]*>W1<\/text>/);
    expect(svg).toMatch(/<text class="label"[^>]*>W2<\/text>/);
    expect(svg).not.toContain('data-workload="W3"');
  });

  it("draws one bar per implementation with a ratio, heights proportional to the ratio", () => {
    const w1 = barsOf(svg, "W1");
    expect(w1.map((bar) => [bar.impl, bar.ratio])).toEqual([
      ["asyncstreams", 2],
      ["node-raw", 1],
      ["split2", 0.5],
    ]);
    const [ours, anchor, peer] = w1 as [ParsedBar, ParsedBar, ParsedBar];
    expect(ours.height).toBeCloseTo(2 * anchor.height, 1);
    expect(peer.height).toBeCloseTo(anchor.height / 2, 1);
    // Bars stand on one baseline and sit side by side, left to right.
    expect(ours.y + ours.height).toBeCloseTo(anchor.y + anchor.height, 1);
    expect(anchor.x).toBeGreaterThan(ours.x);
    expect(peer.x).toBeGreaterThan(anchor.x);
    expect(barsOf(svg, "W2").map((bar) => bar.impl)).toEqual(["asyncstreams", "node-raw"]);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(5);
    expect(svg).toContain("<title>W1 split2: 0.50 × node-raw</title>");
  });

  it("draws the line at 1.0 level with the top of a ratio-1 bar, across the plot", () => {
    const line = svg.match(/<line class="anchor"[^>]*>/)?.[0];
    expect(line).toBeDefined();
    const { x1, x2, y1, y2 } = attributes(line ?? "");
    const anchorBar = barsOf(svg, "W1")[1] as ParsedBar;
    expect(Number(y1)).toBeCloseTo(anchorBar.y, 1);
    expect(y2).toBe(y1);
    for (const bar of [...barsOf(svg, "W1"), ...barsOf(svg, "W2")]) {
      expect(bar.x).toBeGreaterThan(Number(x1));
      expect(bar.x).toBeLessThan(Number(x2));
    }
    expect(svg).toMatch(/<text class="anchor-label"[^>]*>node-raw = 1.0<\/text>/);
  });

  it("scales the axis to the largest ratio, in whole ticks, and labels them", () => {
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([\d.]+)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toEqual(["0.0", "0.5", "1.0", "1.5", "2.0"]);
    const largeRatios = ratioChart([{ workload: "W1", impl: "batch", vsAnchor: 4.2 }]);
    const largeTicks = [...largeRatios.matchAll(/<text class="tick"[^>]*>([\d.]+)<\/text>/g)].map((match) => match[1]);
    expect(largeTicks).toEqual(["0.0", "1.0", "2.0", "3.0", "4.0", "5.0"]);
  });

  it("gives each implementation one legend entry and one colour, the same in every group", () => {
    const legend = [...svg.matchAll(/<g class="legend" data-impl="([^"]+)"><rect [^>]*fill="([^"]+)"/g)];
    expect(legend.map((match) => match[1])).toEqual(["asyncstreams", "node-raw", "split2"]);
    expect(new Set(legend.map((match) => match[2])).size).toBe(3);
    const fills = [...svg.matchAll(/<rect class="bar" data-impl="asyncstreams"[^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(2);
    expect(fills[0]).toBe(fills[1]);
    expect(fills[0]).toBe(legend[0]?.[2]);
  });

  it("escapes names in text and attributes", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&#60;b&#62;&#38;&#34;c&#39;");
    const odd = ratioChart([{ workload: "W<1>", impl: 'x&"y"', vsAnchor: 1 }]);
    expect(odd).toContain('data-workload="W&#60;1&#62;"');
    expect(odd).toContain('data-impl="x&#38;&#34;y&#34;"');
    expect(odd).not.toMatch(/<[^a-z/!]/i);
  });

  it("says so when there is no ratio at all, and draws no bar", () => {
    const empty = ratioChart([{ workload: "W1", impl: "asyncstreams", vsAnchor: null }]);
    expect(empty).not.toContain('class="bar"');
    expect(empty).toContain("No ratios to node-raw in this run");
    expect(empty.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
