import { describe, expect, it } from "vitest";
import { WriteFlowControl } from "../src/write-flow-control.js";
import type { Protocol } from "../src/protocol.js";

/** A protocol that records its flow-control calls, and a buffer whose size the test sets. */
function setup(limits?: { high?: number; low?: number }): {
  flow: WriteFlowControl;
  calls: string[];
  buffer: { size: number };
} {
  const calls: string[] = [];
  const protocol = {
    pauseWriting: () => calls.push("pause"),
    resumeWriting: () => calls.push("resume"),
  } as Pick<Protocol, "pauseWriting" | "resumeWriting">;
  const buffer = { size: 0 };
  const flow = new WriteFlowControl({ size: () => buffer.size, protocol: () => protocol as Protocol, limits });
  return { flow, calls, buffer };
}

describe("WriteFlowControl", () => {
  it("starts from asyncio's default marks: 64 KiB high, a quarter of it low", () => {
    expect(setup().flow.getLimits()).toEqual({ high: 65_536, low: 16_384 });
  });

  it("pauses only strictly above the high-water mark, and only once", () => {
    const { flow, calls, buffer } = setup({ high: 10 });
    buffer.size = 10;
    flow.maybePause();
    expect(calls).toEqual([]);
    buffer.size = 11;
    flow.maybePause();
    flow.maybePause();
    expect(calls).toEqual(["pause"]);
    expect(flow.isPaused()).toBe(true);
  });

  it("resumes only at or below the low-water mark, and only after a pause", () => {
    const { flow, calls, buffer } = setup({ high: 8, low: 2 });
    flow.maybeResume();
    expect(calls).toEqual([]);
    buffer.size = 9;
    flow.maybePause();
    buffer.size = 3;
    flow.maybeResume();
    expect(calls).toEqual(["pause"]);
    buffer.size = 2;
    flow.maybeResume();
    flow.maybeResume();
    expect(calls).toEqual(["pause", "resume"]);
    expect(flow.isPaused()).toBe(false);
  });

  it("setLimits() pauses at once when the buffer is above the new mark, and never resumes", () => {
    const { flow, calls, buffer } = setup();
    buffer.size = 100;
    flow.setLimits({ high: 50 });
    expect(calls).toEqual(["pause"]);
    flow.setLimits({ high: 1000 });
    expect(calls).toEqual(["pause"]);
    expect(flow.getLimits()).toEqual({ high: 1000, low: 250 });
  });

  it("setLimits() with high < low throws asyncio's RangeError and keeps the old marks", () => {
    const { flow } = setup({ high: 40 });
    expect(() => flow.setLimits({ high: 1, low: 2 })).toThrow(RangeError);
    expect(flow.getLimits()).toEqual({ high: 40, low: 10 });
  });

  it("calls nothing after stop(), whatever the buffer does", () => {
    const { flow, calls, buffer } = setup({ high: 4 });
    buffer.size = 5;
    flow.maybePause();
    flow.stop();
    buffer.size = 0;
    flow.maybeResume();
    buffer.size = 50;
    flow.maybePause();
    expect(calls).toEqual(["pause"]);
  });

  it("asks for the protocol at each call, so a replaced protocol is the one told", () => {
    const calls: string[] = [];
    let protocol: Protocol | null = null;
    const buffer = { size: 5 };
    const flow = new WriteFlowControl({ size: () => buffer.size, protocol: () => protocol, limits: { high: 4 } });
    protocol = { pauseWriting: () => calls.push("pause") } as unknown as Protocol;
    flow.maybePause();
    expect(calls).toEqual(["pause"]);
  });
});
