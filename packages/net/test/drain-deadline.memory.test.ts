import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { DrainTimeoutError, drainDeadline } from "@asyncstreams/writer";

// drainDeadline() lives in the writer package, whose tests cannot import the protocol package (it
// depends on the writer): its runs over the in-memory pair, and over TCP, are here.

/**
 * A writer over an in-memory pair with 100 KiB queued in 1 KiB writes (the pair delivers whole
 * writes, so small ones make the peer's 1 KiB-limit reader hold most of them back in our buffer).
 */
function pair() {
  const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 64 * 1024 } });
  const local = createStreams(left);
  const peer = createStreams(right, { limit: 1024 });
  const writer = local.writer;
  const fill = (): void => {
    for (let i = 0; i < 100; i++) writer.write(new Uint8Array(1024));
  };
  return { left, right, writer, peer, fill };
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "drained",
    (error: unknown) => error,
  );
}

describe("drainDeadline() over an in-memory pair", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("rejects drain() with DrainTimeoutError('idle') when the peer's reading is paused", async () => {
    const { right, writer, fill } = pair();
    right.pauseReading(); // the peer stopped reading: nothing leaves our buffer
    fill();
    expect(writer.bufferedLength).toBe(100 * 1024);
    const deadline = drainDeadline(writer, { idle: 1000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    await vi.advanceTimersByTimeAsync(999);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(251);
    const error = await drained;
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).kind).toBe("idle");
    expect(vi.getTimerCount()).toBe(0); // the deadline cleared its own timers
    writer.transport.close();
  });

  it("lets a slow peer that keeps reading finish, however long it takes", async () => {
    const { writer, peer, fill } = pair();
    fill();
    using deadline = drainDeadline(writer, { idle: 1000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    let read = 0;
    for (let step = 0; step < 100 && read < 100 * 1024; step++) {
      await vi.advanceTimersByTimeAsync(900); // slower than the idle ticks, faster than idle
      read += (await peer.reader.readExactly(2048)).length;
    }
    expect(await drained).toBe("drained");
    expect(deadline.signal.aborted).toBe(false);
    expect(read).toBeGreaterThan(80 * 1024); // it really was a drain of several seconds
  });

  it("rejects with DrainTimeoutError('total') at the overall deadline even while the peer reads", async () => {
    const { writer, peer, fill } = pair();
    fill();
    const deadline = drainDeadline(writer, { idle: 1000, total: 5000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    for (let step = 0; step < 10; step++) {
      await vi.advanceTimersByTimeAsync(500);
      await peer.reader.readExactly(1024);
    }
    const error = await drained;
    expect((error as DrainTimeoutError).kind).toBe("total");
    expect(vi.getTimerCount()).toBe(0);
    writer.transport.close();
  });
});
