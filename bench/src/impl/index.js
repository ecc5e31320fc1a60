// @ts-check
/** @import { NodeImpl, Workload } from "../lib/types.js" */

/**
 * @typedef {object} ImplEntry
 * @property {string} name Column name.
 * @property {"node" | "python"} runtime Which child process runs it.
 * @property {(workload: Workload) => boolean} supports Known without loading the module, so a
 *   missing build of one implementation never stops the others.
 * @property {() => Promise<NodeImpl>} [load] Node implementations only.
 */

/**
 * Every implementation, in table order. node-raw is the anchor every ratio is taken against.
 *
 * @type {readonly ImplEntry[]}
 */
export const impls = [
  {
    name: "asyncstreams",
    runtime: "node",
    supports: (workload) => workload.kind === "memory",
    load: async () => (await import("./asyncstreams.js")).asyncstreams,
  },
  {
    name: "node-raw",
    runtime: "node",
    supports: (workload) => workload.kind === "memory",
    load: async () => (await import("./node-raw.js")).nodeRaw,
  },
  {
    name: "node:readline",
    runtime: "node",
    supports: (workload) => workload.kind === "memory" && workload.base === "W1",
    load: async () => (await import("./readline.js")).nodeReadline,
  },
  {
    name: "cpython",
    runtime: "python",
    supports: (workload) => workload.kind === "memory",
  },
];

/** The anchor: ratios are this implementation's figure over the anchor's. */
export const ANCHOR = "node-raw";

/**
 * @param {string} name
 * @returns {ImplEntry}
 */
export function implByName(name) {
  const impl = impls.find((candidate) => candidate.name === name);
  if (impl === undefined) throw new RangeError(`Unknown implementation ${name}: expected one of ${impls.map((i) => i.name).join(", ")}`);
  return impl;
}
