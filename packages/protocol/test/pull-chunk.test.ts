import { describe, expect, it } from "vitest";
import { pullChunk } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";

/** Collects what `deliver` receives, as text, `null` for EOF. */
function sink(): { chunks: (string | null)[]; deliver: (chunk: Uint8Array | null) => void } {
  const chunks: (string | null)[] = [];
  return { chunks, deliver: (chunk) => chunks.push(chunk === null ? null : text(chunk)) };
}

describe("pullChunk()", () => {
  it("delivers up to chunkSize bytes per call, then null at EOF", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("hello"));
    reader.feedData(bytes(" world"));
    reader.feedEof();
    const { chunks, deliver } = sink();
    const { signal } = new AbortController();
    for (let i = 0; i < 4; i++) await pullChunk(reader, { chunkSize: 4, signal, deliver });
    expect(chunks).toEqual(["hell", "o wo", "rld", null]);
  });

  it("waits for data without consuming, and delivers in the turn the bytes leave the reader", async () => {
    const reader = new StreamReader();
    const { chunks, deliver } = sink();
    const pulled = track(pullChunk(reader, { chunkSize: 64, signal: new AbortController().signal, deliver }));
    await eventLoopTurn();
    expect(pulled.settled).toBe(false);
    reader.feedData(bytes("data"));
    await pulled.promise;
    expect(chunks).toEqual(["data"]);
    expect(reader.bufferedLength).toBe(0);
  });

  it("an abort at any microtask after data arrived delivers nothing and leaves every byte in the reader, or delivers them all", async () => {
    for (const chunkSize of [64, 3]) {
      for (let turns = 0; turns <= 10; turns++) {
        const reader = new StreamReader();
        const controller = new AbortController();
        const { chunks, deliver } = sink();
        const pulled = pullChunk(reader, { chunkSize, signal: controller.signal, deliver }).catch(
          (error: unknown) => error,
        );
        await eventLoopTurn();
        reader.feedData(bytes("hello"));
        for (let turn = 0; turn < turns; turn++) await Promise.resolve();
        const reason = new Error("stop");
        controller.abort(reason);
        const outcome = await pulled;
        if (outcome === reason) expect(chunks, `${chunkSize} ${turns}`).toEqual([]);
        expect(chunks.join("") + text(reader.takeBuffered()), `${chunkSize} ${turns}`).toBe("hello");
      }
    }
  });

  it("throws the reader's stored exception, as a direct read would, even with bytes buffered; delivers nothing", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("kept"));
    const failure = new Error("reset");
    reader.setException(failure);
    const { chunks, deliver } = sink();
    expect(await rejectionOf(pullChunk(reader, { chunkSize: 64, signal: new AbortController().signal, deliver }))).toBe(
      failure,
    );
    expect(chunks).toEqual([]);
  });
});
