// @ts-check
import { cutPeriodic, totalLength } from "../lib/chunks.js";
import { expectCount } from "../lib/memory-harness.js";

/** @import { MemoryWorkload } from "../lib/types.js" */

/** Payload bytes of every W2 frame. */
export const FRAME_PAYLOAD = 100;

/** One W2 frame: a 4-byte big-endian length (100), then 100 × "p" (104 bytes). */
export const FRAME = (() => {
  const frame = new Uint8Array(4 + FRAME_PAYLOAD).fill(0x70);
  new DataView(frame.buffer).setUint32(0, FRAME_PAYLOAD);
  return frame;
})();

/**
 * W2: 1,000,000 length-prefixed frames, read with `readExactly(4)` then `readExactly(length)`.
 * Two awaited reads per frame; a frame straddles every chunk boundary (104 does not divide 65,536),
 * so the spanning path (one copy) runs once per chunk.
 *
 * @type {MemoryWorkload}
 */
export const w2Frames = {
  id: "W2",
  base: "W2",
  kind: "memory",
  title: "1,000,000 frames: 4-byte big-endian length 100, then 100 × 'p'; readExactly(4), readExactly(len)",
  unit: "Mframes/s",
  better: "higher",
  params: (quick) => ({ items: quick ? 100_000 : 1_000_000, limit: 65_536 }),
  warmup: (params) => ({ ...params, items: Math.ceil((params.items ?? 0) / 10) }),
  build(params) {
    const chunks = cutPeriodic(FRAME, params.items ?? 0);
    return { chunks, bytes: totalLength(chunks) };
  },
  async consume(reader, _data, params) {
    const frames = params.items ?? 0;
    let wrong = 0;
    for (let i = 0; i < frames; i++) {
      const head = await reader.readExactly(4);
      // Read the length as a real parser would, not as the constant we know it is.
      const length = (head[0] ?? 0) * 0x1000000 + (((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0));
      const payload = await reader.readExactly(length);
      if (length !== FRAME_PAYLOAD || payload.length !== FRAME_PAYLOAD || payload[FRAME_PAYLOAD - 1] !== 0x70) wrong++;
    }
    const rest = await reader.read();
    expectCount("W2 malformed frames", wrong, 0);
    expectCount("W2 bytes left after the last frame", rest.length, 0);
  },
  figure: (params, seconds) => (params.items ?? 0) / seconds / 1e6,
};
