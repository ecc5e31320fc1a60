import { describe, expect, it } from "vitest";
import { TransportBase } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import { eventLoopTurn } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";

/** A transport that records what the base class asks of it; `buffered` is its write buffer. */
class HookTransport extends TransportBase {
  readonly hooks: string[] = [];
  buffered = 0;

  constructor() {
    super({ extraInfo: { peername: "hooks" }, writeBufferLimits: { high: 4 } });
  }

  getWriteBufferSize(): number {
    return this.buffered;
  }

  canWriteEof(): boolean {
    return true;
  }

  abort(): void {
    this.forceClose(undefined);
  }

  /** Fails the connection, as a transport does when its source breaks. */
  fail(error: unknown): void {
    this.forceClose(error);
  }

  /** The peer is gone while the reader is behind: writing has failed, connectionLost() waits. */
  writingFailed(error: unknown): void {
    this.failProtocolWriting(error);
  }

  /** The connection is gone: tells the protocol now. */
  lose(error: unknown): void {
    this.callConnectionLost(error);
  }

  /** Bytes left the buffer: `count` of them, or all. */
  sent(count = this.buffered): void {
    this.buffered -= count;
    this.maybeResumeWriting();
  }

  protected writeData(data: Uint8Array): void {
    this.hooks.push(`write ${data.length}`);
    this.buffered += data.length;
    this.maybePauseWriting();
  }

  protected endWriting(): void {
    this.hooks.push("end");
  }

  protected startClose(): void {
    this.hooks.push("start close");
    this.connectionLostSoon(undefined);
  }

  protected pauseSource(): void {
    this.hooks.push("pause source");
  }

  protected resumeSource(): void {
    this.hooks.push("resume source");
    this.deliverLater();
  }

  protected override deliverHeld(): void {
    this.hooks.push("deliver");
  }

  protected override abortSource(error: unknown): void {
    this.hooks.push(`abort source ${String((error as Error | undefined)?.message)}`);
  }

  protected override beforeConnectionLost(): void {
    this.hooks.push("before lost");
  }

  protected override afterConnectionLost(): void {
    this.hooks.push("after lost");
  }
}

describe("TransportBase", () => {
  it("keeps the protocol and the extra info it was given", () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    expect(transport.getProtocol()).toBe(protocol);
    expect(transport.getExtraInfo("peername")).toBe("hooks");
    expect(transport.getExtraInfo("nothing")).toBeUndefined();
    transport.abort();
  });

  it("pauses and resumes the source once each; delivers a microtask later, never inside resumeReading()", async () => {
    const transport = new HookTransport();
    attach(transport, new RecordingProtocol("p"));
    transport.pauseReading();
    transport.pauseReading();
    expect(transport.isReading()).toBe(false);
    transport.resumeReading();
    transport.resumeReading();
    expect(transport.hooks).toEqual(["pause source", "resume source"]);
    await Promise.resolve();
    expect(transport.hooks).toEqual(["pause source", "resume source", "deliver"]);
    transport.abort();
  });

  it("does not deliver when paused again before the microtask runs, nor pause or resume while closing", async () => {
    const transport = new HookTransport();
    attach(transport, new RecordingProtocol("p"));
    transport.pauseReading();
    transport.resumeReading();
    transport.pauseReading();
    await eventLoopTurn();
    transport.close();
    transport.resumeReading();
    transport.pauseReading();
    expect(transport.isReading()).toBe(false);
    await eventLoopTurn();
    expect(transport.hooks).toEqual([
      "pause source",
      "resume source",
      "pause source",
      "start close",
      "before lost",
      "after lost",
    ]);
  });

  it("checks writes, refuses them after writeEof(), drops them once lost, and ends writing once", async () => {
    const transport = new HookTransport();
    attach(transport, new RecordingProtocol("p"));
    expect(() => transport.write("text" as unknown as Uint8Array)).toThrow(TypeError);
    transport.write(new Uint8Array(0));
    transport.write(new Uint8Array(2));
    transport.writeLines([new Uint8Array(1), new Uint8Array(1)]);
    transport.writeEof();
    transport.writeEof();
    expect(() => transport.write(new Uint8Array(1))).toThrow(InvalidStateError);
    expect(() => transport.write(new Uint8Array(0))).toThrow(InvalidStateError);
    // Even with nothing to write, as asyncio 3.13's writelines() after write_eof().
    expect(() => transport.writeLines([])).toThrow(InvalidStateError);
    expect(transport.hooks).toEqual(["write 2", "write 1", "write 1", "end"]);
    transport.abort();
    await eventLoopTurn();
  });

  it("tells the protocol to pause and resume writing at its water marks, and no more once lost", async () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    expect(transport.getWriteBufferLimits()).toEqual({ high: 4, low: 1 });
    transport.write(new Uint8Array(5));
    transport.sent();
    transport.write(new Uint8Array(5));
    transport.abort();
    transport.sent();
    transport.setWriteBufferLimits({ high: 0 });
    await eventLoopTurn();
    expect(protocol.events).toEqual(["made", "pause", "resume", "pause", "lost undefined"]);
  });

  it("pauses writing only strictly above the high-water mark, and only once", () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    transport.write(new Uint8Array(4)); // at the mark (4) is not above it
    expect(protocol.events).toEqual(["made"]);
    transport.write(new Uint8Array(1));
    transport.write(new Uint8Array(1));
    expect(protocol.events).toEqual(["made", "pause"]);
    transport.abort();
  });

  it("resumes writing only at or below the low-water mark, and only after a pause", () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    transport.sent(); // nothing paused: no resume
    transport.write(new Uint8Array(5));
    transport.sent(3); // 2 left, above the low-water mark (1)
    expect(protocol.events).toEqual(["made", "pause"]);
    transport.sent(1); // 1 left: at the low-water mark
    expect(protocol.events).toEqual(["made", "pause", "resume"]);
    transport.sent(1);
    expect(protocol.events).toEqual(["made", "pause", "resume"]);
    transport.abort();
  });

  it("setWriteBufferLimits() pauses at once above the new mark but never resumes, and keeps the old marks on asyncio's RangeError", () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    transport.write(new Uint8Array(3));
    transport.setWriteBufferLimits({ high: 2 });
    expect(protocol.events).toEqual(["made", "pause"]);
    transport.setWriteBufferLimits({ high: 1000 });
    expect(protocol.events).toEqual(["made", "pause"]);
    expect(transport.getWriteBufferLimits()).toEqual({ high: 1000, low: 250 });
    expect(() => transport.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(
      "Cannot set write buffer limits: high (1) must be >= low (2) must be >= 0",
    );
    expect(transport.getWriteBufferLimits()).toEqual({ high: 1000, low: 250 });
    transport.abort();
  });

  it("closes once: startClose() once, connectionLost() once, with the hooks around it", async () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    transport.close();
    transport.close();
    expect(transport.isClosing()).toBe(true);
    transport.write(new Uint8Array(1)); // dropped: the connection is lost
    transport.abort(); // already lost: nothing more
    await eventLoopTurn();
    expect(transport.hooks).toEqual(["start close", "before lost", "after lost"]);
    expect(protocol.events).toEqual(["made", "lost undefined"]);
  });

  it("fails once, as asyncio's _force_close(): lets go of the source, then connectionLost(error)", async () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    const error = new Error("broken");
    transport.fail(error);
    transport.fail(new Error("again"));
    expect(protocol.lostWith).toEqual([]); // in a later microtask, as asyncio's call_soon
    await eventLoopTurn();
    expect(transport.hooks).toEqual(["abort source broken", "before lost", "after lost"]);
    expect(protocol.lostWith).toEqual([error]);
  });

  it("runs afterConnectionLost() even when the protocol's connectionLost() throws, and tells it only once", () => {
    const transport = new HookTransport();
    const protocol = attach(transport, new RecordingProtocol("p"));
    protocol.connectionLost = () => {
      throw new Error("protocol bug");
    };
    expect(() => transport.lose(undefined)).toThrow("protocol bug");
    transport.lose(undefined);
    expect(transport.hooks).toEqual(["before lost", "after lost"]);
    expect(transport.isClosing()).toBe(true);
  });

  it("failProtocolWriting() tells the protocol's failWriting(), and a protocol set later, the first error; connectionLost() still waits", () => {
    const transport = new HookTransport();
    const told: [string, unknown][] = [];
    const withFailWriting = (name: string) =>
      Object.assign(new RecordingProtocol(name), { failWriting: (error: unknown) => told.push([name, error]) });
    attach(transport, withFailWriting("first"));
    const reset = new Error("reset");
    transport.writingFailed(reset);
    transport.writingFailed(new Error("later")); // ignored
    attach(transport, withFailWriting("second"));
    attach(transport, new RecordingProtocol("no failWriting()")); // left alone
    expect(told).toEqual([
      ["first", reset],
      ["second", reset],
    ]);
    expect(transport.isClosing()).toBe(false); // connectionLost() waits for the reader
    transport.abort();
  });
});
