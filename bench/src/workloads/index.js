// @ts-check
import { w1Batch, w1Lines } from "./w1-lines.js";
import { w2Frames } from "./w2-frames.js";
import { w3Headers } from "./w3-headers.js";
import { w3bBigBlock, w3bBigBlock64 } from "./w3b-big-block.js";
import { w4Throughput } from "./w4-throughput.js";
import { w5PingPong, w6Concurrent } from "./w5-ping-pong.js";
import { m1Idle } from "./m1-idle.js";
import { ws1Batch, ws1Lines } from "./ws1-lines.js";
import { m2SlowReader } from "./m2-slow-reader.js";
import { m3Chunk, m3LongLine, m3Skip } from "./m3-long-line.js";

/** @import { MemoryWorkload, NetWorkload } from "../lib/types.js" */

/**
 * Every workload, in table order: in memory (W1-W3b, kind "memory"), over TCP (W4-W6, kind
 * "tcp"), memory and scale over TCP (M1-M3, kind "scale").
 *
 * @type {readonly (MemoryWorkload | NetWorkload)[]}
 */
export const workloads = [
  w1Lines,
  w1Batch,
  w2Frames,
  w3Headers,
  w3bBigBlock,
  w3bBigBlock64,
  w4Throughput,
  w5PingPong,
  w6Concurrent,
  ws1Lines,
  ws1Batch,
  m1Idle,
  m2SlowReader,
  m3LongLine,
  m3Skip,
  m3Chunk,
];

/**
 * Finds a workload by its row id.
 *
 * @param {string} id
 * @returns {MemoryWorkload | NetWorkload}
 */
export function workloadById(id) {
  const workload = workloads.find((candidate) => candidate.id === id);
  if (workload === undefined)
    throw new RangeError(`Unknown workload ${id}: expected one of ${workloads.map((w) => w.id).join(", ")}`);
  return workload;
}
