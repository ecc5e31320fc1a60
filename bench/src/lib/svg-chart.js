// @ts-check
// The chart of `--svg FILE`: every row's speed relative to node-raw, one bar group per workload,
// one bar per implementation, and a dashed line at 1.0 (node-raw). Hand-written SVG with no
// dependency, so that a reader of RESULTS.md sees the table at a glance.

/** @import { Row } from "./report.js" */

/** Implementation colours, in the order implementations first appear in the rows. */
const PALETTE = [
  "#1f77b4", // blue
  "#7f7f7f", // grey
  "#2ca02c", // green
  "#d62728", // red
  "#9467bd", // purple
  "#8c564b", // brown
  "#e377c2", // pink
  "#bcbd22", // olive
  "#17becf", // cyan
  "#ff7f0e", // orange
];
const BAR_WIDTH = 22;
const BAR_GAP = 3;
const GROUP_GAP = 24;
const PLOT_HEIGHT = 240;
const MARGIN = { top: 64, right: 112, bottom: 40, left: 48 };
const LEGEND_ROW = 18;
const LEGEND_ITEM_WIDTH = 150;
/** About the width of one character of a 12 px sans-serif label, plus its share of a margin. */
const LABEL_CHAR_WIDTH = 7.5;
/** The same for the 14 px bold title. */
const TITLE_CHAR_WIDTH = 8.5;

/**
 * @typedef {object} ChartOptions
 * @property {string} [anchor] The implementation every ratio is relative to (default "node-raw").
 * @property {string} [title] The heading (default: "Speed relative to <anchor> in the same run").
 */

/**
 * One bar: a row that has a ratio to the anchor.
 *
 * @typedef {object} Bar
 * @property {string} workload
 * @property {string} impl
 * @property {number} ratio
 */

/**
 * Escapes text for an SVG text node or a double-quoted attribute.
 *
 * @param {string} text
 * @returns {string}
 */
export function escapeXml(text) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * One element. Numbers are rounded to two decimals (finer than a pixel, and the file stays small
 * and stable); strings are escaped. `content` is markup, already escaped.
 *
 * @param {string} name
 * @param {Record<string, string | number>} attributes
 * @param {string} [content] Without it, the element is self-closing.
 * @returns {string}
 */
function element(name, attributes, content) {
  let tag = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    tag += ` ${key}="${typeof value === "number" ? String(Math.round(value * 100) / 100) : escapeXml(value)}"`;
  }
  return content === undefined ? `${tag}/>` : `${tag}>${content}</${name}>`;
}

/**
 * The top of the ratio axis: the largest ratio (at least 1.0) rounded up to a whole tick.
 *
 * @param {number} largest
 * @returns {{ top: number, step: number }}
 */
function axisScale(largest) {
  const step = largest > 4 ? 1 : 0.5;
  return { top: Math.max(step, Math.ceil(Math.max(largest, 1) / step) * step), step };
}

/**
 * Renders the rows' ratios to the anchor as an SVG document. Rows without a ratio (failed, or no
 * anchor row for their workload in the run) get no bar; a workload with no bar gets no group.
 *
 * @param {readonly Pick<Row, "workload" | "impl" | "vsAnchor">[]} rows
 * @param {ChartOptions} [options]
 * @returns {string}
 */
export function ratioChart(rows, options = {}) {
  const anchor = options.anchor ?? "node-raw";
  const title = options.title ?? `Speed relative to ${anchor} in the same run (> 1: faster; for M1-M3: smaller)`;
  /** @type {Bar[]} */
  const bars = [];
  for (const row of rows) {
    const ratio = row.vsAnchor;
    if (ratio !== null && Number.isFinite(ratio)) bars.push({ workload: row.workload, impl: row.impl, ratio });
  }
  const workloads = [...new Set(bars.map((bar) => bar.workload))];
  const impls = [...new Set(bars.map((bar) => bar.impl))];
  /** @type {Map<string, string>} */
  const colours = new Map(impls.map((impl, index) => [impl, PALETTE[index % PALETTE.length] ?? "#000"]));
  const { top, step } = axisScale(Math.max(0, ...bars.map((bar) => bar.ratio)));

  const legendPerRow = Math.max(1, Math.floor(640 / LEGEND_ITEM_WIDTH));
  const legendRows = Math.ceil(impls.length / legendPerRow);
  const plotTop = MARGIN.top + legendRows * LEGEND_ROW;
  const barsWidths = workloads.map(
    (workload) => bars.filter((bar) => bar.workload === workload).length * (BAR_WIDTH + BAR_GAP) - BAR_GAP,
  );
  // A group is at least as wide as its label, so that one-bar groups' labels do not overlap.
  const groupWidths = workloads.map((workload, index) =>
    Math.max(barsWidths[index] ?? 0, workload.length * LABEL_CHAR_WIDTH),
  );
  const plotWidth = Math.max(
    320,
    groupWidths.reduce((sum, width) => sum + width + GROUP_GAP, GROUP_GAP),
    Math.min(impls.length, legendPerRow) * LEGEND_ITEM_WIDTH,
    title.length * TITLE_CHAR_WIDTH - MARGIN.right,
  );
  const width = MARGIN.left + plotWidth + MARGIN.right;
  const height = plotTop + PLOT_HEIGHT + MARGIN.bottom;
  const y = (/** @type {number} */ ratio) => plotTop + PLOT_HEIGHT - (ratio / top) * PLOT_HEIGHT;
  const right = MARGIN.left + plotWidth;

  const bottom = plotTop + PLOT_HEIGHT;
  /** @type {string[]} */
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ' font-family="sans-serif" font-size="12">',
    element("title", {}, escapeXml(title)),
    element("rect", { width, height, fill: "#fff" }),
    element(
      "text",
      { class: "title", x: MARGIN.left, y: 24, "font-size": 14, "font-weight": "bold" },
      escapeXml(title),
    ),
  ];
  impls.forEach((impl, index) => {
    const x = MARGIN.left + (index % legendPerRow) * LEGEND_ITEM_WIDTH;
    const rowY = MARGIN.top - 24 + Math.floor(index / legendPerRow) * LEGEND_ROW;
    const swatch = element("rect", { x, y: rowY, width: 12, height: 12, fill: colours.get(impl) ?? "#000" });
    const name = element("text", { x: x + 16, y: rowY + 10 }, escapeXml(impl));
    out.push(element("g", { class: "legend", "data-impl": impl }, swatch + name));
  });
  for (let tick = 0; tick <= top + 1e-9; tick += step) {
    const tickY = y(tick);
    out.push(
      element("line", { class: "grid", x1: MARGIN.left, x2: right, y1: tickY, y2: tickY, stroke: "#e5e5e5" }),
      element(
        "text",
        { class: "tick", x: MARGIN.left - 6, y: tickY, "text-anchor": "end", "dominant-baseline": "middle" },
        tick.toFixed(1),
      ),
    );
  }
  let groupStart = MARGIN.left + GROUP_GAP;
  workloads.forEach((workload, index) => {
    const groupWidth = groupWidths[index] ?? 0;
    let x = groupStart + (groupWidth - (barsWidths[index] ?? 0)) / 2;
    /** @type {string[]} */
    const group = [];
    for (const bar of bars.filter((candidate) => candidate.workload === workload)) {
      const barTop = y(bar.ratio);
      const label = `${bar.workload} ${bar.impl}: ${bar.ratio.toFixed(2)} × ${anchor}`;
      const shape = {
        class: "bar",
        "data-impl": bar.impl,
        "data-ratio": bar.ratio.toFixed(3),
        x,
        y: barTop,
        width: BAR_WIDTH,
        height: bottom - barTop,
        fill: colours.get(bar.impl) ?? "#000",
      };
      group.push(
        element("rect", shape, element("title", {}, escapeXml(label))),
        element(
          "text",
          { class: "value", x: x + BAR_WIDTH / 2, y: barTop - 3, "text-anchor": "middle", "font-size": 9 },
          bar.ratio.toFixed(2),
        ),
      );
      x += BAR_WIDTH + BAR_GAP;
    }
    const centre = groupStart + groupWidth / 2;
    group.push(
      element("text", { class: "label", x: centre, y: bottom + 18, "text-anchor": "middle" }, escapeXml(workload)),
    );
    out.push(`<g class="group" data-workload="${escapeXml(workload)}">`, ...group, "</g>");
    groupStart += groupWidth + GROUP_GAP;
  });
  const oneY = y(1);
  out.push(
    element("line", {
      class: "anchor",
      x1: MARGIN.left,
      x2: right,
      y1: oneY,
      y2: oneY,
      stroke: "#000",
      "stroke-dasharray": "6 3",
    }),
    element(
      "text",
      { class: "anchor-label", x: right + 6, y: oneY, "dominant-baseline": "middle" },
      `${escapeXml(anchor)} = 1.0`,
    ),
    element("line", { class: "axis", x1: MARGIN.left, x2: MARGIN.left, y1: plotTop, y2: bottom, stroke: "#000" }),
  );
  if (bars.length === 0) {
    const text = `No ratios to ${escapeXml(anchor)} in this run`;
    out.push(element("text", { class: "empty", x: MARGIN.left + 12, y: plotTop + 20 }, text));
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
