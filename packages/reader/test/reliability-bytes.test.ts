import { describe, expect, it } from "vitest";
import { LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, track } from "@asyncstreams/test-utils";

/** Raw bytes from byte values and latin1 strings: `raw("a\r", 0xff)`; never UTF-8-encodes. */
function raw(...parts: readonly (string | number)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === "number") out.push(part);
    else for (let i = 0; i < part.length; i++) out.push(part.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Every way to cut `data` into two or three pieces, plus all 1-byte pieces and the whole. */
function* chunkings(data: Uint8Array): Generator<Uint8Array[]> {
  yield [data];
  yield Array.from(data, (byte) => Uint8Array.of(byte));
  for (let i = 0; i <= data.length; i++) {
    yield [data.subarray(0, i), data.subarray(i)];
    for (let j = i; j <= data.length; j++) yield [data.subarray(0, i), data.subarray(i, j), data.subarray(j)];
  }
}

/** Feeds the chunks while `readAll` reads: a read is pending whenever a chunk arrives. */
async function readWhileFeeding<T>(
  chunks: readonly Uint8Array[],
  readAll: (reader: StreamReader) => Promise<T>,
  limit?: number,
): Promise<T> {
  const reader = new StreamReader({ limit });
  const result = readAll(reader);
  for (const chunk of chunks) {
    await eventLoopTurn();
    reader.feedData(chunk);
  }
  reader.feedEof();
  return result;
}

async function readLines(reader: StreamReader): Promise<Uint8Array[]> {
  const lines: Uint8Array[] = [];
  for (;;) {
    const line = await reader.readLine();
    if (line.length === 0) return lines;
    lines.push(line);
  }
}

// A12: a bare CR, NUL, invalid UTF-8 (a lone 0xff, an overlong '/', a lone surrogate) are bytes
// like any other: only \n ends a line, nothing is decoded, stripped or replaced (as asyncio).
const A12_INPUT = raw("a\rb\n", "\r\n", 0, "\n", 0xff, 0xfe, "\n", 0xc0, 0xaf, 0xed, 0xa0, 0x80, "\n", "\r\r\n", "x\r");
const A12_LINES = [
  raw("a\rb\n"),
  raw("\r\n"),
  raw(0, "\n"),
  raw(0xff, 0xfe, "\n"),
  raw(0xc0, 0xaf, 0xed, 0xa0, 0x80, "\n"),
  raw("\r\r\n"),
  raw("x\r"),
];

describe("bytes, not text (A12)", () => {
  it("A12: readLine() splits only on LF and returns bare CR, CRLF, NUL and invalid UTF-8 byte for byte", async () => {
    const reader = new StreamReader();
    reader.feedData(A12_INPUT);
    reader.feedEof();
    expect(await readLines(reader)).toEqual(A12_LINES);
    expect(reader.atEof()).toBe(true);
  });

  it("A12: readLine() gives the same raw lines for every 2- and 3-piece chunking, with a read pending as each piece arrives", async () => {
    let runs = 0;
    for (const chunks of chunkings(A12_INPUT)) {
      expect(await readWhileFeeding(chunks, readLines)).toEqual(A12_LINES);
      runs++;
    }
    expect(runs).toBeGreaterThan(300);
  });

  it("A12: readUntil(CRLF) passes over a bare CR and a bare LF and returns the bytes up to the first CRLF exactly", async () => {
    for (const chunks of chunkings(raw("a\rb\nc", 0xff, "\r", "\r\n", "tail"))) {
      const reader = new StreamReader();
      for (const chunk of chunks) reader.feedData(chunk);
      expect(await reader.readUntil(raw("\r\n"))).toEqual(raw("a\rb\nc", 0xff, "\r", "\r\n"));
      expect(reader.bufferedBytes()).toEqual(raw("tail"));
    }
  });

  it("A12: readUntil() takes NUL and non-UTF-8 bytes as separators", async () => {
    const reader = new StreamReader();
    reader.feedData(raw("key", 0, "value", 0xff, 0xfe, "rest"));
    expect(await reader.readUntil(raw(0))).toEqual(raw("key", 0));
    expect(await reader.readUntil(raw(0xff, 0xfe))).toEqual(raw("value", 0xff, 0xfe));
    expect(reader.bufferedBytes()).toEqual(raw("rest"));
  });

  it("A12: the limit counts bytes, not characters: seven 0xff bytes pass limit=7, eight throw LimitOverrunError and are discarded", async () => {
    const reader = new StreamReader({ limit: 7 });
    reader.feedData(raw(...new Array<number>(7).fill(0xff), "\n", ...new Array<number>(8).fill(0xff), "\n", "next\n"));
    expect(await reader.readLine()).toEqual(raw(...new Array<number>(7).fill(0xff), "\n"));
    const error = await reader.readLine().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error).toMatchObject({ code: "ERR_LIMIT_OVERRUN", consumed: 8 });
    expect(await reader.readLine()).toEqual(raw("next\n"));
  });
});

describe("a separator split at every offset (A4)", () => {
  const head = raw("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
  const input = raw("GET / HTTP/1.0\r\nHost: x\r\n\r\nbody\r\n\r\n");

  it("A4: readUntil(CRLF CRLF) returns the same head and leaves the same body for every 2- and 3-piece chunking, fed before or during the read", async () => {
    for (const chunks of chunkings(input)) {
      const before = new StreamReader();
      for (const chunk of chunks) before.feedData(chunk);
      expect(await before.readUntil(raw("\r\n\r\n"))).toEqual(head);
      expect(before.bufferedBytes()).toEqual(raw("body\r\n\r\n"));

      const during = await readWhileFeeding(chunks, async (reader) => [
        await reader.readUntil(raw("\r\n\r\n")),
        await reader.readUntil(raw("\r\n\r\n")),
      ]);
      expect(during).toEqual([head, raw("body\r\n\r\n")]);
    }
  });

  it("A4: a near miss (CR LF CR CR LF CR LF) split anywhere matches only at the real CRLF CRLF", async () => {
    const nearMiss = raw("a\r\n\r\r\n\r\nz");
    for (const chunks of chunkings(nearMiss)) {
      const result = await readWhileFeeding(chunks, (reader) => reader.readUntil(raw("\r\n\r\n")));
      expect(result).toEqual(raw("a\r\n\r\r\n\r\n"));
    }
  });
});

describe("an LF flood (A13)", () => {
  it("A13: 2,000,000 empty lines fed in 64 KiB chunks as the transport allows come back as exactly 2,000,000 LF bytes, with the buffer bounded", async () => {
    const total = 2_000_000;
    const chunk = new Uint8Array(65_536).fill(0x0a);
    let paused = false;
    const reader = new StreamReader();
    reader.setTransport({
      pauseReading: () => {
        paused = true;
      },
      resumeReading: () => {
        paused = false;
      },
    });
    let fed = 0;
    let largest = 0;
    const feeder = (async () => {
      while (fed < total) {
        if (paused) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          continue;
        }
        const piece = chunk.subarray(0, Math.min(chunk.length, total - fed));
        reader.feedData(piece);
        fed += piece.length;
        largest = Math.max(largest, reader.bufferedLength);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      reader.feedEof();
    })();
    let lines = 0;
    let wrong = 0;
    const started = performance.now();
    for (;;) {
      const line = await reader.readLine();
      if (line.length === 0) break;
      if (line.length !== 1 || line[0] !== 0x0a) wrong++;
      lines++;
    }
    await feeder;
    expect(lines).toBe(total);
    expect(wrong).toBe(0);
    expect(reader.bytesConsumed).toBe(total);
    expect(largest).toBeLessThanOrEqual(2 * reader.limit + chunk.length);
    expect(performance.now() - started).toBeLessThan(8_000); // about 0.5 s here: each readLine() is O(1)
  });

  it("A13: a per-connection line budget is possible: after N lines the reader stops and the rest stays buffered, uncounted", async () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array(10_000).fill(0x0a));
    const budget = 1_000;
    let lines = 0;
    while (lines < budget && (await reader.readLine()).length > 0) lines++;
    expect(lines).toBe(budget);
    expect(reader.bytesConsumed).toBe(budget);
    expect(reader.bufferedLength).toBe(9_000);
  });
});

describe("empty chunks (A10)", () => {
  it("A10: feedData() of empty chunks wakes no pending read, sets no EOF, and counts no byte", async () => {
    const reader = new StreamReader();
    const line = track(reader.readLine());
    for (let i = 0; i < 100; i++) reader.feedData(new Uint8Array(0));
    reader.feedData(new Uint8Array(new ArrayBuffer(8), 8, 0)); // an empty view at the end of a buffer
    await eventLoopTurn();
    expect(line.settled).toBe(false);
    expect(reader.atEof()).toBe(false);
    expect(reader.bytesReceived).toBe(0);
    reader.feedData(bytes("x\n"));
    await eventLoopTurn();
    expect(line.value).toEqual(bytes("x\n"));
  });
});
