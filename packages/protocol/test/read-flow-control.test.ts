import { describe, expect, it } from "vitest";
import { ReadFlowControl, WebStreamTransport } from "@asyncstreams/protocol";
import { eventLoopTurn } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";

function control(options: { closing?: () => boolean } = {}) {
  const log: string[] = [];
  const reading = new ReadFlowControl({
    closing: options.closing ?? (() => false),
    deliver: () => log.push("deliver"),
    pauseSource: () => log.push("pause source"),
    resumeSource: () => log.push("resume source"),
  });
  return { reading, log };
}

describe("ReadFlowControl", () => {
  it("pauses and resumes the source once each, and delivers in a later microtask, not inside resume()", async () => {
    const { reading, log } = control();
    expect(reading.isReading()).toBe(true);
    reading.pause();
    reading.pause();
    expect(reading.isReading()).toBe(false);
    expect(reading.isPaused()).toBe(true);
    reading.resume();
    reading.resume();
    expect(log).toEqual(["pause source", "resume source"]);
    await Promise.resolve();
    expect(log).toEqual(["pause source", "resume source", "deliver"]);
  });

  it("does not deliver when paused again before the microtask runs", async () => {
    const { reading, log } = control();
    reading.pause();
    reading.resume();
    reading.pause();
    await eventLoopTurn();
    expect(log).toEqual(["pause source", "resume source", "pause source"]);
  });

  it("is a no-op while closing, as asyncio's pause_reading() and resume_reading()", async () => {
    let closing = false;
    const { reading, log } = control({ closing: () => closing });
    reading.pause();
    closing = true;
    expect(reading.isReading()).toBe(false);
    reading.resume();
    await eventLoopTurn();
    expect(log).toEqual(["pause source"]);
    expect(reading.isPaused()).toBe(true);
  });
});

describe("WebStreamTransport with halfClose: false", () => {
  it("closes when the readable ends even if eofReceived() returns true: no half-open connection without half-close", async () => {
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const readable = new ReadableStream<Uint8Array>({ start: (controller) => void (source = controller) });
    const transport = new WebStreamTransport({ readable, writable: new WritableStream() }, { halfClose: false });
    const protocol = attach(transport, new RecordingProtocol("t"));
    protocol.eofResult = true;
    source.close();
    await eventLoopTurn();
    expect(protocol.events).toEqual(["made", "eof", "lost undefined"]);
    expect(transport.isClosing()).toBe(true);
  });
});
