import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import type { OverflowPolicy, ReadingTransport } from "@asyncstreams/reader";

import { bytes, eventLoopTurn, text } from "@asyncstreams/test-utils";

/** Reads lines until EOF and returns them as strings. */
async function allLines(reader: StreamReader): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of reader) lines.push(text(line));
  return lines;
}

/** A transport that records pauses and resumes. */
function recordingTransport(): ReadingTransport & { paused: boolean; pauses: number } {
  const transport = {
    paused: false,
    pauses: 0,
    pauseReading(): void {
      transport.paused = true;
      transport.pauses++;
    },
    resumeReading(): void {
      transport.paused = false;
    },
  };
  return transport;
}

describe("overflow policy: error (asyncio's rule, the default)", () => {
  it("gives LimitOverrunError the stream offset of the over-long line", async () => {
    const reader = new StreamReader({ limit: 4 });
    reader.feedData(bytes("ok\nfar too long\nnext\n"));
    expect(text(await reader.readLine())).toBe("ok\n");
    const error = await reader.readLine().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error).toMatchObject({ code: "ERR_LIMIT_OVERRUN", consumed: 12, offset: 3 });
    expect(text(await reader.readLine())).toBe("next\n");
  });

  it("gives the offset when the separator was not found, and keeps the bytes for readUntil", async () => {
    const reader = new StreamReader({ limit: 4 });
    reader.feedData(bytes("ab\r\nxxxxxxx"));
    expect(text(await reader.readUntil(bytes("\r\n")))).toBe("ab\r\n");
    const error = await reader.readUntil(bytes("\r\n")).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ consumed: 6, offset: 4 });
    expect((error as Error).message).toBe(
      'Separator is not found, and chunk exceed the limit (limit 4): raise the reader\'s limit option, or pass overflow: "skip" or "chunk" to drop or split long lines',
    );
    expect(reader.bufferedLength).toBe(7);
  });

  it("rejects an unknown policy when the reader is made", () => {
    expect(() => new StreamReader({ overflow: "drop" as OverflowPolicy })).toThrow(RangeError);
  });
});

describe("overflow policy: skip", () => {
  it("skips an over-long line already buffered and returns the next one", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    reader.feedData(bytes("far too long\nok\n"));
    expect(text(await reader.readLine())).toBe("ok\n");
    expect(reader.skippedCount).toBe(1);
    expect(reader.bytesConsumed).toBe(16);
  });

  it("keeps a line of exactly limit bytes", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    reader.feedData(bytes("abcd\nabcde\nx\n"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["abcd\n", "x\n"]);
    expect(reader.skippedCount).toBe(1);
  });

  it("skips a line that arrives in pieces, with the buffer bounded and the transport resumed", async () => {
    const reader = new StreamReader({ limit: 8, overflow: "skip" });
    const transport = recordingTransport();
    reader.setTransport(transport);
    const line = reader.readLine();
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      reader.feedData(bytes("x".repeat(7)));
      peak = Math.max(peak, reader.bufferedLength);
      await eventLoopTurn();
    }
    reader.feedData(bytes("xx\nnext\n"));
    expect(text(await line)).toBe("next\n");
    expect(peak).toBeLessThanOrEqual(2 * 8 + 7);
    expect(transport.paused).toBe(false);
    expect(reader.skippedCount).toBe(1);
  });

  it("skips several over-long lines in a row, and counts each", async () => {
    const reader = new StreamReader({ limit: 3, overflow: "skip" });
    reader.feedData(bytes("aaaa\nbbbbbb\ncccccccc\nok\n"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["ok\n"]);
    expect(reader.skippedCount).toBe(3);
  });

  it("skips an over-long line left unterminated at EOF, so the read reports EOF", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    reader.feedData(bytes("ok\nno newline at all"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["ok\n"]);
    expect(reader.atEof()).toBe(true);
  });

  it("returns a short unterminated last line at EOF, as readLine always does", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    reader.feedData(bytes("toolong\nend"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["end"]);
  });

  it("finds a separator that straddles chunks while skipping (readUntil)", async () => {
    const reader = new StreamReader({ limit: 4 });
    const result = reader.readUntil(bytes("\r\n"), { overflow: "skip" });
    reader.feedData(bytes("aaaaaaaaaa\r"));
    await eventLoopTurn();
    reader.feedData(bytes("\nbb\r\n"));
    expect(text(await result)).toBe("bb\r\n");
    expect(reader.skippedCount).toBe(1);
  });

  it("after an abort in the middle of a skipped line, the next skip read goes on skipping it", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    const controller = new AbortController();
    const aborted = reader.readLine({ signal: controller.signal });
    reader.feedData(bytes("aaaaaaaaaa"));
    await eventLoopTurn();
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    reader.feedData(bytes("aa\nnext\n"));
    expect(text(await reader.readLine())).toBe("next\n");
    expect(reader.skippedCount).toBe(1);
  });

  it("after an abort in the middle of a skipped line, an error-policy read returns the line's tail", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "skip" });
    const controller = new AbortController();
    const aborted = reader.readLine({ signal: controller.signal });
    reader.feedData(bytes("aaaaaaaaaa"));
    await eventLoopTurn();
    controller.abort();
    await aborted.catch(() => undefined);
    reader.feedData(bytes("zz\n"));
    expect(text(await reader.readLine({ overflow: "error" }))).toBe("zz\n");
  });

  it("applies per read: one read skips while the reader's default stays asyncio's", async () => {
    const reader = new StreamReader({ limit: 4 });
    reader.feedData(bytes("toolong\nok\ntoolong\n"));
    expect(text(await reader.readLine({ overflow: "skip" }))).toBe("ok\n");
    await expect(reader.readLine()).rejects.toBeInstanceOf(LimitOverrunError);
  });
});

describe("overflow policy: chunk", () => {
  it("returns an over-long line in limit-sized pieces, the last with its newline", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "chunk" });
    reader.feedData(bytes("abcdefghij\nok\n"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["abcd", "efgh", "ij\n", "ok\n"]);
  });

  it("ends with a full piece and the newline when the length is a multiple of the limit", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "chunk" });
    reader.feedData(bytes("abcdefgh\n"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["abcd", "efgh\n"]);
  });

  it("never splits a two-byte separator between pieces", async () => {
    const reader = new StreamReader({ limit: 4, overflow: "chunk" });
    const separator = bytes("\r\n");
    reader.feedData(bytes("abcdefg\r"));
    expect(text(await reader.readUntil(separator))).toBe("abcd");
    const last = reader.readUntil(separator);
    await eventLoopTurn();
    reader.feedData(bytes("\n"));
    expect(text(await last)).toBe("efg\r\n");
  });

  it("returns pieces of an unterminated line at EOF, the partial last one included", async () => {
    const reader = new StreamReader({ limit: 3, overflow: "chunk" });
    reader.feedData(bytes("abcdefgh"));
    reader.feedEof();
    expect(await allLines(reader)).toEqual(["abc", "def", "gh"]);
  });

  it("keeps the buffer bounded while a long line streams in", async () => {
    const reader = new StreamReader({ limit: 16, overflow: "chunk" });
    reader.setTransport(recordingTransport());
    let total = 0;
    let peak = 0;
    const consumer = (async () => {
      for (;;) {
        const piece = await reader.readLine();
        if (piece.length === 0) return;
        expect(piece.length).toBeLessThanOrEqual(16 + 1);
        total += piece.length;
      }
    })();
    for (let i = 0; i < 200; i++) {
      reader.feedData(bytes("y".repeat(10)));
      peak = Math.max(peak, reader.bufferedLength);
      await eventLoopTurn();
    }
    reader.feedData(bytes("\n"));
    reader.feedEof();
    await consumer;
    expect(total).toBe(2001);
    expect(peak).toBeLessThanOrEqual(2 * 16 + 10);
  });
});

/** What each policy must return for a stream, computed line by line. */
function expectedLines(data: string, limit: number, policy: "skip" | "chunk"): string[] {
  const out: string[] = [];
  const parts = data.split("\n");
  parts.forEach((content, index) => {
    const terminated = index < parts.length - 1;
    if (!terminated && content.length === 0) return;
    const ending = terminated ? "\n" : "";
    if (content.length <= limit) out.push(content + ending);
    else if (policy === "chunk") {
      let rest = content;
      while (rest.length > limit) {
        out.push(rest.slice(0, limit));
        rest = rest.slice(limit);
      }
      if (rest.length + ending.length > 0) out.push(rest + ending);
    }
  });
  return out;
}

describe("overflow policies against a line-by-line model", () => {
  it("returns what the model says for any stream cut into any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<"skip" | "chunk">("skip", "chunk"),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.constantFrom("a", "b", "\n"), { maxLength: 60 }).map((chars) => chars.join("")),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 6 }),
        async (policy, limit, data, sizes) => {
          const reader = new StreamReader({ limit, overflow: policy });
          const reading = allLines(reader);
          const raw = bytes(data);
          for (let at = 0, which = 0; at < raw.length; which++) {
            const size = sizes[which % sizes.length]!;
            reader.feedData(raw.subarray(at, at + size));
            at += size;
            await eventLoopTurn();
          }
          reader.feedEof();
          expect(await reading).toEqual(expectedLines(data, limit, policy));
        },
      ),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 200 },
    );
  });
});
