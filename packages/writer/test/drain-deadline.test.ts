import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DrainTimeoutError, StreamWriter, drainDeadline } from "@asyncstreams/writer";
import { FakeReader } from "./_fakes.js";
import { BufferingTransport, ReportingProtocol } from "./_buffering-fakes.js";

/** A writer whose transport pauses it above 64 buffered bytes; `transport.send(n)` is the peer reading. */
function setup() {
  const protocol = new ReportingProtocol();
  const transport = new BufferingTransport(protocol, { high: 64, low: 16 });
  const writer = new StreamWriter(transport, { protocol, reader: new FakeReader() });
  return { protocol, transport, writer };
}

/** Settles a promise into its value or error, so a rejection is never left unhandled. */
function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "drained",
    (error: unknown) => error,
  );
}

describe("drainDeadline()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts drain() with DrainTimeoutError('idle') when the peer takes no byte for idle ms", async () => {
    const { writer } = setup();
    writer.write(new Uint8Array(1000));
    const deadline = drainDeadline(writer, { idle: 1000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    await vi.advanceTimersByTimeAsync(999);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(251); // the limit fires within 1.25 × idle
    const error = await drained;
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).kind).toBe("idle");
    expect((error as DrainTimeoutError).timeout).toBe(1000);
    expect(writer.bufferedLength).toBe(1000); // the connection is left as it was, for the caller to close
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not time out a slow peer that keeps taking bytes, however long the drain takes", async () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(1000));
    using deadline = drainDeadline(writer, { idle: 1000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    for (let step = 0; step < 20 && transport.buffered > 0; step++) {
      await vi.advanceTimersByTimeAsync(900);
      transport.send(50); // 50 bytes every 900 ms: slower than idle/4 ticks, faster than idle
    }
    expect(await drained).toBe("drained");
    expect(deadline.signal.aborted).toBe(false);
  });

  it("counts bytes leaving even while the application keeps the buffer at the same size", async () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(500));
    using deadline = drainDeadline(writer, { idle: 1000 });
    for (let step = 0; step < 10; step++) {
      await vi.advanceTimersByTimeAsync(500);
      transport.send(100);
      writer.write(new Uint8Array(100)); // the buffer size never changes, yet bytes leave
    }
    expect(transport.buffered).toBe(500);
    expect(deadline.signal.aborted).toBe(false);
  });

  it("does not count an empty buffer as a stall", async () => {
    const { writer } = setup();
    using deadline = drainDeadline(writer, { idle: 100 });
    await vi.advanceTimersByTimeAsync(10_000); // nothing to send for a long time
    expect(deadline.signal.aborted).toBe(false);
    writer.write(new Uint8Array(1000));
    await vi.advanceTimersByTimeAsync(99);
    expect(deadline.signal.aborted).toBe(false); // idle counts from when bytes got stuck
    await vi.advanceTimersByTimeAsync(26);
    expect(deadline.signal.reason).toBeInstanceOf(DrainTimeoutError);
  });

  it("aborts with DrainTimeoutError('total') at the overall deadline even while bytes keep leaving", async () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(10_000));
    const deadline = drainDeadline(writer, { idle: 1000, total: 3000 });
    const drained = outcome(writer.drain({ signal: deadline.signal }));
    for (let step = 0; step < 6; step++) {
      await vi.advanceTimersByTimeAsync(500);
      transport.send(10);
    }
    const error = await drained;
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).kind).toBe("total");
    expect((error as DrainTimeoutError).message).toBe("Drain timed out: deadline of 3000 ms passed");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("aborts only the drains given its signal: other waiters keep waiting", async () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(100));
    const deadline = drainDeadline(writer, { total: 100 });
    const timed = outcome(writer.drain({ signal: deadline.signal }));
    const patient = outcome(writer.drain());
    await vi.advanceTimersByTimeAsync(100);
    expect(await timed).toBeInstanceOf(DrainTimeoutError);
    transport.send();
    expect(await patient).toBe("drained");
  });

  it("clears its timers on dispose() and never aborts afterwards", async () => {
    const { writer } = setup();
    writer.write(new Uint8Array(1000));
    const deadline = drainDeadline(writer, { idle: 100, total: 200 });
    expect(vi.getTimerCount()).toBe(2);
    deadline.dispose();
    deadline.dispose(); // idempotent
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(deadline.signal.aborted).toBe(false);
  });

  it("clears its timers at the end of a using block", () => {
    const { writer } = setup();
    {
      using deadline = drainDeadline(writer, { idle: 100, total: 200 });
      expect(deadline.signal.aborted).toBe(false);
      expect(vi.getTimerCount()).toBe(2);
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it("follows an outer signal with its reason, and clears its timers then", () => {
    const { writer } = setup();
    const outer = new AbortController();
    const deadline = drainDeadline(writer, { idle: 100, total: 10_000, signal: outer.signal });
    const reason = new Error("shutting down");
    outer.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    const aborted = AbortSignal.abort(reason);
    expect(drainDeadline(writer, { idle: 10, signal: aborted }).signal.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects a limit that is not a positive number of milliseconds with a RangeError, a non-number with a TypeError", () => {
    const { writer } = setup();
    for (const bad of [0, -1, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 31]) {
      expect(() => drainDeadline(writer, { idle: bad })).toThrow(RangeError);
      expect(() => drainDeadline(writer, { total: bad })).toThrow(RangeError);
    }
    expect(() => drainDeadline(writer, { idle: -1 })).toThrow(
      "Cannot make a drain deadline: idle should be a positive number of milliseconds up to 2147483647, " +
        "or Infinity for none, got -1",
    );
    for (const bad of ["5", null, 5n] as unknown as number[]) {
      expect(() => drainDeadline(writer, { idle: bad })).toThrow(TypeError);
      expect(() => drainDeadline(writer, { total: bad })).toThrow(TypeError);
    }
    expect(() => drainDeadline(writer, { total: "5" as unknown as number })).toThrow(
      'Cannot make a drain deadline: total should be a number, got "5" (string)',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it("refuses unknown option names (a misspelled idle would leave the drain unbounded), a non-object, a bad signal and a writer without counters", () => {
    const { writer } = setup();
    expect(() => drainDeadline(writer, { idel: 5_000 } as never)).toThrow(
      new TypeError('Cannot make a drain deadline: unknown option "idel"; the options are idle, total and signal'),
    );
    expect(() => drainDeadline(writer, undefined as never)).toThrow(
      new TypeError("Cannot make a drain deadline: options should be an object, got undefined"),
    );
    expect(() => drainDeadline(writer, { signal: "x" } as never)).toThrow(
      new TypeError('Cannot make a drain deadline: signal should be an AbortSignal or undefined, got "x"'),
    );
    for (const bad of [null, {}, { bytesWritten: 1, bufferedLength: "0" }])
      expect(() => drainDeadline(bad as never, { idle: 10 })).toThrow(
        new TypeError(
          "Cannot make a drain deadline: writer should be a StreamWriter, or have numeric bytesWritten and bufferedLength",
        ),
      );
    expect(vi.getTimerCount()).toBe(0);
  });

  it("takes Infinity as no limit, as readDeadline() does: no timer, never expires", async () => {
    const { writer } = setup();
    using deadline = drainDeadline(writer, { idle: Infinity, total: Infinity });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(deadline.signal.aborted).toBe(false);
  });

  it("stops its idle timer once the connection is lost (nothing can be stuck any more); the total limit still runs", async () => {
    const { transport, writer } = setup();
    const deadline = drainDeadline(writer, { idle: 400, total: 10_000 });
    writer.write(new Uint8Array(100));
    expect(vi.getTimerCount()).toBe(2);
    transport.lose();
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(1); // the total timer
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect((deadline.signal.reason as DrainTimeoutError).kind).toBe("total");
  });

  it("watches anything with bytesWritten and bufferedLength", async () => {
    const counters = { bytesWritten: 10, bufferedLength: 10 };
    using deadline = drainDeadline(counters, { idle: 400 });
    await vi.advanceTimersByTimeAsync(300);
    counters.bufferedLength = 5;
    await vi.advanceTimersByTimeAsync(400);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect((deadline.signal.reason as DrainTimeoutError).kind).toBe("idle");
  });
});
