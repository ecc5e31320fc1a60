import { describe, expect, it } from "vitest";
import { ReadInProgressError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, track } from "@asyncstreams/test-utils";

describe("StreamReader.peek()", () => {
  it("returns up to n buffered bytes as a copy and consumes none of them", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("hello"));
    const peeked = await reader.peek(3);
    expect(peeked).toEqual(bytes("hel"));
    expect(await reader.peek(100)).toEqual(bytes("hello")); // fewer when fewer are buffered
    peeked[0] = 0x58;
    expect(reader.bufferedLength).toBe(5);
    expect(reader.bytesConsumed).toBe(0);
    expect(await reader.readExactly(5)).toEqual(bytes("hello")); // the copy's change is not seen
  });

  it("waits for data when nothing is buffered, and returns empty at EOF", async () => {
    const reader = new StreamReader();
    const pending = track(reader.peek(2));
    await eventLoopTurn();
    expect(pending.settled).toBe(false);
    reader.feedData(bytes("x"));
    expect(await pending.promise).toEqual(bytes("x"));
    expect(await reader.read(1)).toEqual(bytes("x"));
    reader.feedEof();
    expect(await reader.peek(2)).toEqual(new Uint8Array(0));
    expect(await reader.peek(0)).toEqual(new Uint8Array(0));
  });

  it("rejects with the signal's reason when aborted while waiting, and with the stored exception", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const pending = track(reader.peek(1, { signal: controller.signal }));
    controller.abort(new Error("stop"));
    await eventLoopTurn();
    expect(pending.rejected).toBe(true);
    const failure = new Error("lost");
    reader.setException(failure);
    await expect(reader.peek(1)).rejects.toBe(failure);
  });

  it("counts as the read in progress: a second read while it waits throws ReadInProgressError", async () => {
    const reader = new StreamReader();
    const pending = reader.peek(1);
    await expect(reader.read(1)).rejects.toBeInstanceOf(ReadInProgressError);
    reader.feedData(bytes("a"));
    expect(await pending).toEqual(bytes("a"));
  });

  it.each([
    [-1, RangeError],
    [1.5, TypeError],
  ])("refuses n = %s with %o", async (n, type) => {
    await expect(new StreamReader().peek(n)).rejects.toBeInstanceOf(type);
  });
});
