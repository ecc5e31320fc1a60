import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ReadInProgressError, StreamReader } from "@asyncstreams/reader";
import type { OverflowPolicy } from "@asyncstreams/reader";

import { bytes, eventLoopTurn, text } from "@asyncstreams/test-utils";

const texts = (lines: readonly Uint8Array[]): string[] => lines.map((line) => text(line));

describe("StreamReader.readLines", () => {
  it("returns every complete line of the first chunk in one batch, and keeps the partial one", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("a\nbb\nccc\npartial"));
    expect(texts(await reader.readLines())).toEqual(["a\n", "bb\n", "ccc\n"]);
    expect(reader.bufferedLength).toBe(7);
  });

  it("goes on past a line that spans chunks, then takes the next chunk's lines", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("one\ntw"));
    reader.feedData(bytes("o\nthree\nfour\n"));
    expect(texts(await reader.readLines())).toEqual(["one\n"]);
    expect(texts(await reader.readLines())).toEqual(["two\n", "three\n", "four\n"]);
  });

  it("waits when no complete line is buffered, then returns what arrived", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("no newline yet"));
    let settled = false;
    const batch = reader.readLines().then((lines) => {
      settled = true;
      return lines;
    });
    await eventLoopTurn();
    expect(settled).toBe(false);
    reader.feedData(bytes("\nnext\n"));
    expect(texts(await batch)).toEqual(["no newline yet\n", "next\n"]);
  });

  it("returns the partial last line at EOF, then an empty batch", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("x\ny"));
    reader.feedEof();
    expect(texts(await reader.readLines())).toEqual(["x\n"]);
    expect(texts(await reader.readLines())).toEqual(["y"]);
    expect(await reader.readLines()).toEqual([]);
  });

  it("an aborted wait consumes nothing and leaves the reader ready", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("half"));
    const controller = new AbortController();
    const batch = reader.readLines({ signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(batch).rejects.toThrow("stop");
    reader.feedData(bytes(" line\n"));
    expect(texts(await reader.readLines())).toEqual(["half line\n"]);
  });

  it("throws the stored exception, even with complete lines buffered", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("a\nb\n"));
    const error = new Error("connection reset");
    reader.setException(error);
    await expect(reader.readLines()).rejects.toBe(error);
  });

  it("allows one read at a time", async () => {
    const reader = new StreamReader();
    const waiting = reader.readLine();
    await expect(reader.readLines()).rejects.toBeInstanceOf(ReadInProgressError);
    reader.feedEof();
    await waiting;
  });

  it("resumes a paused transport once a batch brings the buffer down to the limit", async () => {
    const reader = new StreamReader({ limit: 4 });
    const calls: string[] = [];
    reader.setTransport({ pauseReading: () => calls.push("pause"), resumeReading: () => calls.push("resume") });
    reader.feedData(bytes("a\nb\nc\nd\ne\n")); // 10 bytes > 2 × limit
    expect(calls).toEqual(["pause"]);
    expect(await reader.readLines()).toHaveLength(5);
    expect(calls).toEqual(["pause", "resume"]);
  });

  it("stops a batch before an over-long line, and the next call applies the overflow policy", async () => {
    const reader = new StreamReader({ limit: 3, overflow: "skip" });
    reader.feedData(bytes("ok\ntoo long\nfine\nend\n"));
    expect(texts(await reader.readLines())).toEqual(["ok\n"]);
    expect(texts(await reader.readLines())).toEqual(["end\n"]);
    expect(reader.skippedCount).toBe(2);
  });
});

/** Every outcome of a line loop: lines as text and errors as their codes, in order. */
async function outcomes(reader: StreamReader, batched: boolean): Promise<string[]> {
  const seen: string[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    try {
      const lines = batched ? await reader.readLines() : [await reader.readLine()].filter((line) => line.length > 0);
      if (lines.length === 0) return seen;
      seen.push(...texts(lines));
    } catch (error) {
      seen.push(`<${String((error as { code?: unknown }).code)}>`);
    }
  }
  throw new Error("the line loop did not end");
}

describe("readLines against readLine", () => {
  it("gives the same lines and errors as a readLine loop, for any stream, chunking, limit and policy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<OverflowPolicy>("error", "skip", "chunk"),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.constantFrom("a", "b", "\n"), { maxLength: 60 }).map((chars) => chars.join("")),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (overflow, limit, data, sizes, feedFirst) => {
          const run = async (batched: boolean): Promise<string[]> => {
            const reader = new StreamReader({ limit, overflow });
            const feed = async (): Promise<void> => {
              const raw = bytes(data);
              for (let at = 0, which = 0; at < raw.length; which++) {
                const size = sizes[which % sizes.length]!;
                reader.feedData(raw.subarray(at, at + size));
                at += size;
                if (!feedFirst) await eventLoopTurn();
              }
              reader.feedEof();
            };
            if (feedFirst) await feed();
            const [result] = await Promise.all([outcomes(reader, batched), feedFirst ? undefined : feed()]);
            return result;
          };
          expect(await run(true)).toEqual(await run(false));
        },
      ),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 150 },
    );
  });
});
