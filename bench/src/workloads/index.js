// @ts-check
import { w1Lines } from "./w1-lines.js";
import { w2Frames } from "./w2-frames.js";
import { w3Headers } from "./w3-headers.js";
import { w3bBigBlock, w3bBigBlock64 } from "./w3b-big-block.js";

/** @import { MemoryWorkload } from "../lib/types.js" */

/**
 * Every workload, in table order. TCP workloads (W4-W6) and memory/scale ones (M1-M3) go here with
 * their own `kind` and harness.
 *
 * @type {readonly MemoryWorkload[]}
 */
export const workloads = [w1Lines, w2Frames, w3Headers, w3bBigBlock, w3bBigBlock64];

/**
 * Finds a workload by its row id.
 *
 * @param {string} id
 * @returns {MemoryWorkload}
 */
export function workloadById(id) {
  const workload = workloads.find((candidate) => candidate.id === id);
  if (workload === undefined) throw new RangeError(`Unknown workload ${id}: expected one of ${workloads.map((w) => w.id).join(", ")}`);
  return workload;
}
