import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReadTimeoutError, StreamReader, readDeadline } from "@asyncstreams/reader";

import { bytes, text } from "@asyncstreams/test-utils";

describe("readDeadline()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts a read with ReadTimeoutError('idle') when no byte arrives for idle ms, consuming nothing", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("partial"));
    const deadline = readDeadline(reader, { idle: 1000 });
    const line = reader.readLine({ signal: deadline.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    const error = await line;
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect((error as ReadTimeoutError).kind).toBe("idle");
    expect((error as ReadTimeoutError).code).toBe("ERR_READ_TIMEOUT");
    reader.feedData(bytes(" line\n"));
    expect(text(await reader.readLine())).toBe("partial line\n");
  });

  it("restarts the idle limit whenever bytes arrive, so a slow but steady peer is not cut off", async () => {
    const reader = new StreamReader();
    const deadline = readDeadline(reader, { idle: 1000 });
    const line = reader.readLine({ signal: deadline.signal });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(600);
      reader.feedData(bytes("x"));
    }
    reader.feedData(bytes("\n"));
    expect(text(await line)).toBe("xxxxxxxxxx\n");
    expect(deadline.signal.aborted).toBe(false);
    deadline.dispose();
  });

  it("aborts with ReadTimeoutError('total') at the overall deadline even while bytes keep arriving", async () => {
    const reader = new StreamReader();
    const deadline = readDeadline(reader, { idle: 1000, total: 3000 });
    const line = reader.readLine({ signal: deadline.signal }).catch((error: unknown) => error);
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(500);
      reader.feedData(bytes("a"));
    }
    const error = await line;
    expect((error as ReadTimeoutError).kind).toBe("total");
    expect(reader.bufferedLength).toBe(6); // the trickled bytes are all still there
  });

  it("never aborts once disposed", async () => {
    const reader = new StreamReader();
    const deadline = readDeadline(reader, { idle: 100, total: 200 });
    deadline.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(deadline.signal.aborted).toBe(false);
  });

  it("follows an outer signal, with its reason", async () => {
    const reader = new StreamReader();
    const outer = new AbortController();
    const deadline = readDeadline(reader, { total: 10_000, signal: outer.signal });
    const reason = new Error("shutting down");
    outer.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    const aborted = new AbortController();
    aborted.abort(reason);
    expect(readDeadline(reader, { idle: 10, signal: aborted.signal }).signal.reason).toBe(reason);
  });

  it("rejects a limit that is not a positive number with a RangeError", () => {
    const reader = new StreamReader();
    expect(() => readDeadline(reader, { idle: 0 })).toThrow(RangeError);
    expect(() => readDeadline(reader, { total: -1 })).toThrow(RangeError);
  });

  it("refuses unknown option names (a misspelled idle would leave the reads unbounded), a non-object, a bad signal and a reader without bytesReceived", () => {
    const reader = new StreamReader();
    expect(() => readDeadline(reader, { idel: 5_000 } as never)).toThrow(
      new TypeError('Cannot make a read deadline: unknown option "idel"; the options are idle, total and signal'),
    );
    expect(() => readDeadline(reader, undefined as never)).toThrow(
      new TypeError("Cannot make a read deadline: options should be an object, got undefined"),
    );
    expect(() => readDeadline(reader, { signal: "x" } as never)).toThrow(
      new TypeError('Cannot make a read deadline: signal should be an AbortSignal or undefined, got "x"'),
    );
    for (const bad of [null, {}, { bytesReceived: "0" }])
      expect(() => readDeadline(bad as never, { idle: 10 })).toThrow(
        new TypeError("Cannot make a read deadline: reader should be a StreamReader, or have a numeric bytesReceived"),
      );
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("StreamReader counters", () => {
  it("bytesReceived, bufferedLength and bytesConsumed follow feeds, reads and discards", async () => {
    const reader = new StreamReader({ limit: 4 });
    reader.feedData(bytes("ab\ncdefgh\n"));
    expect(reader.bytesReceived).toBe(10);
    expect(reader.bufferedLength).toBe(10);
    await reader.readLine();
    expect(reader.bytesConsumed).toBe(3);
    await expect(reader.readLine()).rejects.toThrow("Separator is found, but chunk is longer than limit");
    expect(reader.bytesConsumed).toBe(10); // the over-long line was discarded, as asyncio does
    expect(reader.bufferedLength).toBe(0);
  });

  it("isPausing tells whether the reader paused its transport", () => {
    const reader = new StreamReader({ limit: 2 });
    reader.setTransport({ pauseReading: () => undefined, resumeReading: () => undefined });
    reader.feedData(bytes("12345"));
    expect(reader.isPausing).toBe(true);
  });
});
