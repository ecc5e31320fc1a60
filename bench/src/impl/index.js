// @ts-check
/** @import { NetImpl, NodeImpl, Workload } from "../lib/types.js" */

/**
 * @typedef {object} ImplEntry
 * @property {string} name Column name.
 * @property {"node" | "python"} runtime Which child process runs it.
 * @property {(workload: Workload) => boolean} supports Known without loading the module, so a
 *   missing build of one implementation never stops the others.
 * @property {() => Promise<NodeImpl>} [load] In-memory workloads, Node implementations only.
 * @property {() => Promise<NetImpl>} [loadNet] TCP and scale workloads, Node implementations only.
 * @property {boolean} [peer] A JavaScript library users would pick instead of asyncstreams: the
 *   report's "vs peers" section shows asyncstreams' speed over it.
 */

/**
 * @param {Workload} workload
 * @returns {boolean} Whether it is W5 or W6 (the ping-pong workloads).
 */
const isPingPong = (workload) => workload.base === "W5" || workload.base === "W6";

/** The TCP and scale workloads every implementation runs. */
const NET_WORKLOADS = new Set(["W4", "W5", "W6", "M1", "M2", "M3", "WS1"]);

/**
 * Every implementation, in table order. node-raw is the anchor every ratio is taken against.
 *
 * @type {readonly ImplEntry[]}
 */
export const impls = [
  {
    name: "asyncstreams",
    runtime: "node",
    supports: (workload) => workload.kind === "memory" || NET_WORKLOADS.has(workload.base),
    load: async () => (await import("./asyncstreams.js")).asyncstreams,
    loadNet: async () => (await import("./asyncstreams-net.js")).asyncstreamsNet,
  },
  {
    name: "node-raw",
    runtime: "node",
    supports: (workload) => workload.kind === "memory" || NET_WORKLOADS.has(workload.base),
    load: async () => (await import("./node-raw.js")).nodeRaw,
    loadNet: async () => (await import("./node-raw-net.js")).nodeRawNet,
  },
  {
    name: "node:readline",
    runtime: "node",
    // Line workloads only: W1 in memory; W5 and W6 with readline reading the server's socket.
    supports: (workload) => workload.base === "W1" || isPingPong(workload),
    load: async () => (await import("./readline.js")).nodeReadline,
    loadNet: async () => (await import("./readline-net.js")).readlineNet,
  },
  // The JavaScript libraries users would pick instead (peers), each where it applies: W1 for line
  // splitters, W2 for byte and frame readers, W5/W6 over TCP for all but it-length-prefixed.
  {
    name: "it-byte-stream",
    runtime: "node",
    peer: true,
    supports: (workload) => workload.base === "W2" || isPingPong(workload),
    load: async () => (await import("./it-byte-stream.js")).itByteStream,
    loadNet: async () => (await import("./it-byte-stream-net.js")).itByteStreamNet,
  },
  {
    name: "promise-socket",
    runtime: "node",
    peer: true,
    supports: (workload) => workload.base === "W2" || isPingPong(workload),
    load: async () => (await import("./promise-socket.js")).promiseSocket,
    loadNet: async () => (await import("./promise-socket-net.js")).promiseSocketNet,
  },
  {
    name: "it-length-prefixed",
    runtime: "node",
    peer: true,
    supports: (workload) => workload.base === "W2",
    load: async () => (await import("./it-length-prefixed.js")).itLengthPrefixed,
  },
  {
    name: "split2",
    runtime: "node",
    peer: true,
    supports: (workload) => workload.base === "W1" || isPingPong(workload),
    load: async () => (await import("./split2.js")).split2Lines,
    loadNet: async () => (await import("./split2-net.js")).split2Net,
  },
  {
    name: "cpython",
    runtime: "python",
    supports: (workload) => workload.kind === "memory" || NET_WORKLOADS.has(workload.base),
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
  if (impl === undefined)
    throw new RangeError(`Unknown implementation ${name}: expected one of ${impls.map((i) => i.name).join(", ")}`);
  return impl;
}
