// @ts-check
/**
 * One table row: a (workload, implementation) pair measured in its own process.
 *
 * @typedef {object} Row
 * @property {string} workload
 * @property {string} impl
 * @property {string} unit
 * @property {"higher" | "lower"} better
 * @property {import("./types.js").WorkloadParams} params
 * @property {number[]} figures One per timed pass, from the clock chosen with `--clock`.
 * @property {number[]} seconds Wall-clock seconds of each timed pass.
 * @property {number[]} cpuSeconds CPU seconds (user + system, all threads) of each timed pass.
 * @property {import("./types.js").Measure[]} measures What each pass measured besides its time
 *   (scale workloads: KiB, counts); empty objects otherwise.
 * @property {number} median
 * @property {number | null} vsAnchor Speed relative to node-raw in this run (> 1: faster).
 * @property {number | null} vsCpython Speed relative to CPython asyncio in this run (> 1: faster).
 * @property {number} maxRssKiB Peak resident set size of the child process.
 * @property {string} [details] A short note on the median pass (scale workloads: RSS growth, counts).
 * @property {string} [error] Why the pair produced no figure.
 */

/**
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? /** @type {number} */ (sorted[middle])
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * How much faster `row` is than `reference`, whatever the unit's direction: > 1 means faster.
 *
 * @param {Row} row
 * @param {Row | undefined} reference
 * @returns {number | null}
 */
export function speedRatio(row, reference) {
  if (reference === undefined || reference.error !== undefined || row.error !== undefined) return null;
  return row.better === "higher" ? row.median / reference.median : reference.median / row.median;
}

/**
 * @param {number} value
 * @returns {string}
 */
export function formatFigure(value) {
  if (!Number.isFinite(value)) return "-";
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * @param {number | null} ratio
 * @returns {string}
 */
function formatRatio(ratio) {
  return ratio === null || !Number.isFinite(ratio) ? "-" : ratio.toFixed(2);
}

/**
 * Spread of the passes around the median, as ± percent of it (half the min-max range).
 *
 * @param {Row} row
 * @returns {string}
 */
function formatSpread(row) {
  if (row.figures.length < 2 || !(row.median > 0)) return "-";
  const spread = (Math.max(...row.figures) - Math.min(...row.figures)) / 2 / row.median;
  return `±${(spread * 100).toFixed(0)}%`;
}

/**
 * Renders rows as an aligned plain-text table.
 *
 * @param {readonly Row[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
  const withDetails = rows.some((row) => row.details !== undefined);
  const header = [
    "workload",
    "implementation",
    "median",
    "unit",
    "spread",
    "vs node-raw",
    "vs cpython",
    "peak RSS",
    ...(withDetails ? ["details"] : []),
  ];
  const body = rows.map((row) =>
    row.error === undefined
      ? [
          row.workload,
          row.impl,
          formatFigure(row.median),
          row.unit,
          formatSpread(row),
          formatRatio(row.vsAnchor),
          formatRatio(row.vsCpython),
          `${Math.round(row.maxRssKiB / 1024)} MiB`,
          ...(withDetails ? [row.details ?? ""] : []),
        ]
      : [row.workload, row.impl, "FAILED", row.unit, "-", "-", "-", "-", ...(withDetails ? [""] : [])],
  );
  const table = [header, ...body];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? "").length)));
  const numeric = new Set([2, 4, 5, 6, 7]);
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(line)].join("\n");
}

/**
 * asyncstreams' speed over each peer library's on the workloads both ran (the round-2 target is
 * ≥ 1.5 on W1, W2, W5 and W6).
 *
 * @typedef {object} PeerRatio
 * @property {string} workload
 * @property {string} peer
 * @property {number} ratio asyncstreams' speed over the peer's (> 1: asyncstreams is faster).
 */

/**
 * @param {readonly Row[]} rows
 * @param {ReadonlySet<string>} peers Names of the peer implementations.
 * @param {ReadonlyMap<string, string>} [variants] Rows of an API only the subject has, by the
 *   workload whose peers they are compared with ("W1-batch" → "W1"): they get a line per peer too.
 * @param {string} [subject] The implementation compared with them.
 * @returns {PeerRatio[]}
 */
export function peerRatios(rows, peers, variants = new Map(), subject = "asyncstreams") {
  /** @type {PeerRatio[]} */
  const ratios = [];
  for (const row of rows) {
    if (!peers.has(row.impl)) continue;
    const ours = rows.filter(
      (candidate) =>
        candidate.impl === subject &&
        (candidate.workload === row.workload || variants.get(candidate.workload) === row.workload),
    );
    for (const subjectRow of ours) {
      const ratio = speedRatio(subjectRow, row);
      if (ratio !== null) ratios.push({ workload: subjectRow.workload, peer: row.impl, ratio });
    }
  }
  return ratios;
}

/**
 * Renders {@link peerRatios} as an aligned plain-text table (empty when there are none).
 *
 * @param {readonly PeerRatio[]} ratios
 * @param {string} [subject]
 * @returns {string}
 */
export function formatPeerTable(ratios, subject = "asyncstreams") {
  if (ratios.length === 0) return "";
  const header = ["workload", "peer", `${subject} ×`];
  const body = ratios.map((entry) => [entry.workload, entry.peer, formatRatio(entry.ratio)]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((cells) => (cells[column] ?? "").length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(line)].join("\n");
}
