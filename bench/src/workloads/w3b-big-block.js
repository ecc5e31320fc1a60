// @ts-check
import { bytes, cutPeriodic, patchEnd, totalLength } from "../lib/chunks.js";
import { expectCount } from "../lib/memory-harness.js";
import { HEADER_END } from "./w3-headers.js";

/** @import { MemoryWorkload } from "../lib/types.js" */

const MiB = 1024 * 1024;

/** 62 × "a" + "\r\n": a "\r" every 64 bytes, so a first-byte scan meets false candidates all along. */
const FILLER_LINE = bytes(`${"a".repeat(62)}\r\n`);

/**
 * W3b: one block of `size` bytes whose only "\r\n\r\n" is its last four bytes, read with one
 * `readUntil`. The read waits through every chunk, so a reader that rescans the buffer from the
 * start after each feed does quadratic work; the variants at 16 and 64 MiB show whether the time
 * grows linearly. limit = 2 × size (32 MiB for the 16 MiB block, as BENCH.md states).
 *
 * @param {string} id Row name.
 * @param {number} mebibytes Full size of the block.
 * @param {number} quickMebibytes Size under `--quick`.
 * @returns {MemoryWorkload}
 */
export function bigBlock(id, mebibytes, quickMebibytes) {
  return {
    id,
    base: "W3b",
    kind: "memory",
    title: `one ${mebibytes} MiB block whose only '\\r\\n\\r\\n' is at its end, limit ${2 * mebibytes} MiB; one readUntil()`,
    unit: "ms",
    better: "lower",
    params(quick) {
      const size = (quick ? quickMebibytes : mebibytes) * MiB;
      return { size, limit: 2 * size };
    },
    warmup: (params) => ({ ...params, size: Math.ceil((params.size ?? 0) / 10 / 64) * 64 }),
    build(params) {
      const size = params.size ?? 0;
      if (size % FILLER_LINE.length !== 0) throw new RangeError(`Cannot build W3b: ${size} is not a multiple of 64`);
      const chunks = cutPeriodic(FILLER_LINE, size / FILLER_LINE.length);
      patchEnd(chunks, HEADER_END);
      return { chunks, bytes: totalLength(chunks) };
    },
    async consume(reader, _data, params) {
      const block = await reader.readUntil(HEADER_END);
      const rest = await reader.read();
      expectCount("W3b block length", block.length, params.size ?? 0);
      expectCount("W3b bytes left after the block", rest.length, 0);
    },
    figure: (_params, seconds) => seconds * 1000,
  };
}

export const w3bBigBlock = bigBlock("W3b", 16, 16);
export const w3bBigBlock64 = bigBlock("W3b-64M", 64, 64);
