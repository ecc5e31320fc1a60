import { describe, expect, it } from "vitest";
import { NotImplementedError } from "@asyncstreams/buffer";
import { LimitOverrunError, type ReadingTransport, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { FakeTransport, buffered, feedRespectingPause } from "./_helpers.js";

function pausedReader(limit: number, fed: string): { reader: StreamReader; transport: FakeTransport } {
  const reader = new StreamReader({ limit });
  const transport = new FakeTransport();
  reader.setTransport(transport);
  reader.feedData(bytes(fed));
  return { reader, transport };
}

/** `count` bytes of a repeating pattern, cut into chunks of `size`. */
function pattern(count: number, size: number): { data: string; chunks: Uint8Array[] } {
  const data = Array.from({ length: count }, (_, index) => String.fromCharCode(97 + (index % 26))).join("");
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < count; at += size) chunks.push(bytes(data.slice(at, at + size)));
  return { data, chunks };
}

describe("StreamReader pausing the transport (CPython section D)", () => {
  it("does not pause at exactly 2 × limit bytes buffered", () => {
    const { transport } = pausedReader(4, "12345678");
    expect(transport.calls).toEqual([]);
  });

  it("pauses once when the buffer grows strictly above 2 × limit, however much more arrives", () => {
    const { reader, transport } = pausedReader(4, "1234");
    reader.feedData(bytes("5678"));
    expect(transport.calls).toEqual([]);
    reader.feedData(bytes("9"));
    expect(transport.calls).toEqual(["pause"]);
    reader.feedData(bytes("abcdef"));
    reader.feedData(bytes("g"));
    expect(transport.calls).toEqual(["pause"]);
    expect(String(reader)).toBe("<StreamReader 16 bytes limit=4 transport=<Transport> paused>");
  });

  it("pauses on a single chunk larger than 2 × limit", () => {
    const { transport } = pausedReader(4, "123456789");
    expect(transport.calls).toEqual(["pause"]);
  });

  it("does not pause without a transport", async () => {
    const reader = new StreamReader({ limit: 1 });
    reader.feedData(bytes("abcdef"));
    expect(String(reader)).toBe("<StreamReader 6 bytes limit=1>");
    expect(text(await reader.read(6))).toBe("abcdef");
  });

  it("resumes when a read brings the buffer to limit or below, and not while it is still above", async () => {
    const { reader, transport } = pausedReader(4, "0123456789ab");
    expect(transport.calls).toEqual(["pause"]);
    expect(text(await reader.read(7))).toBe("0123456");
    expect(buffered(reader)).toBe("789ab");
    expect(transport.calls).toEqual(["pause"]);
    expect(text(await reader.read(1))).toBe("7");
    expect(transport.calls).toEqual(["pause", "resume"]);
    await reader.read(4);
    expect(transport.calls).toEqual(["pause", "resume"]);
  });

  it.each([
    ["read(n)", (reader: StreamReader) => reader.read(5)],
    ["readExactly(n)", (reader: StreamReader) => reader.readExactly(5)],
    ["readLine()", (reader: StreamReader) => reader.readLine()],
    ["readUntil(separator)", (reader: StreamReader) => reader.readUntil(bytes("\n"))],
    ["readUntil([separators])", (reader: StreamReader) => reader.readUntil([bytes("\r\n"), bytes("\n")])],
  ] as const)("%s resumes the transport once it leaves limit bytes or fewer", async (_name, read) => {
    const { reader, transport } = pausedReader(4, "abcd\nefg");
    reader.feedData(bytes("h"));
    expect(transport.calls).toEqual(["pause"]);
    expect(text(await read(reader))).toBe("abcd\n");
    expect(buffered(reader)).toBe("efgh");
    expect(transport.calls).toEqual(["pause", "resume"]);
    expect(String(reader)).not.toContain("paused");
  });

  it("read(-1) resumes the transport when it takes everything at EOF", async () => {
    const { reader, transport } = pausedReader(4, "123456789");
    reader.feedEof();
    expect(text(await reader.read(-1))).toBe("123456789");
    expect(transport.calls).toEqual(["pause", "resume"]);
  });

  it("readLine() over the limit drops the long line and resumes the transport, as asyncio", async () => {
    const { reader, transport } = pausedReader(4, "0123456789\nab");
    const error = await rejectionOf(reader.readLine());
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(buffered(reader)).toBe("ab");
    expect(transport.calls).toEqual(["pause", "resume"]);
  });

  it("readUntil() over the limit keeps the bytes and leaves the transport paused", async () => {
    const { reader, transport } = pausedReader(4, "0123456789");
    expect(await rejectionOf(reader.readUntil(bytes("\n")))).toBeInstanceOf(LimitOverrunError);
    expect(buffered(reader)).toBe("0123456789");
    expect(transport.calls).toEqual(["pause"]);
  });

  it("IncompleteReadError at EOF clears the buffer without resuming, as asyncio", async () => {
    const { reader, transport } = pausedReader(4, "123456789");
    reader.feedEof();
    await rejectionOf(reader.readExactly(20));
    expect(buffered(reader)).toBe("");
    expect(transport.calls).toEqual(["pause"]);
  });

  // readLine() never waits on a paused reader: above 2 × limit bytes without a newline it has
  // already overrun the limit. readUntil() can, with a separator longer than limit + 1 bytes.
  it.each([
    ["readExactly(n)", (reader: StreamReader) => reader.readExactly(20), "abcdefghi", "jklmnopqrst"],
    [
      "readUntil() with a long separator",
      (reader: StreamReader) => reader.readUntil(bytes("<separator>")),
      "ab<separa",
      "tor>",
    ],
    ["read(-1)", (reader: StreamReader) => reader.read(-1), "abcdefghi", "x"],
  ] as const)(
    "a %s that must wait on a paused reader resumes the transport before waiting",
    async (_name, start, fed, rest) => {
      const { reader, transport } = pausedReader(4, fed);
      expect(transport.calls).toEqual(["pause"]);
      const read = track(start(reader));
      await eventLoopTurn();
      expect(read.settled).toBe(false);
      expect(transport.calls).toEqual(["pause", "resume"]);
      expect(String(reader)).toBe("<StreamReader 9 bytes limit=4 waiter=<Promise pending> transport=<Transport>>");
      reader.feedData(bytes(rest));
      reader.feedEof();
      expect(text(await read.promise)).toBe(`${fed}${rest}`.slice(0, 20));
    },
  );

  it("readExactly(n > 2 × limit) completes while the feeder feeds only when the transport is not paused", async () => {
    const reader = new StreamReader({ limit: 4 });
    const transport = new FakeTransport();
    reader.setTransport(transport);
    const { data, chunks } = pattern(50, 3);
    const read = reader.readExactly(50);
    const pausedTurns = await feedRespectingPause(reader, transport, chunks);
    expect(text(await read)).toBe(data);
    expect(transport.calls.filter((call) => call === "pause").length).toBeGreaterThan(0);
    expect(pausedTurns).toBe(0); // each pause is undone by the waiting read before the feeder's next turn
    expect(transport.paused).toBe(false);
  });

  it("test_read_all_from_pipe_reader: read(-1) with limit=1 completes without deadlock while the feeder respects pauses", async () => {
    const reader = new StreamReader({ limit: 1 });
    const transport = new FakeTransport();
    reader.setTransport(transport);
    const read = reader.read(-1);
    await feedRespectingPause(reader, transport, [bytes("da"), bytes("t"), bytes("a")]);
    expect(text(await read)).toBe("data");
    expect(transport.calls).toContain("pause");
    expect(transport.paused).toBe(false);
  });

  it("read(-1) with limit=1 completes over many chunks fed while respecting pauses", async () => {
    const reader = new StreamReader({ limit: 1 });
    const transport = new FakeTransport();
    reader.setTransport(transport);
    const { data, chunks } = pattern(200, 7);
    const read = reader.read(-1);
    await feedRespectingPause(reader, transport, chunks);
    expect(text(await read)).toBe(data);
  });

  it("a line-by-line consumer with a small limit gets every line while the feeder respects pauses", async () => {
    const reader = new StreamReader({ limit: 4 });
    const transport = new FakeTransport();
    reader.setTransport(transport);
    const input = "ab\ncd\n\nefgh\nij\n".repeat(10);
    const chunks = Array.from({ length: Math.ceil(input.length / 11) }, (_, index) =>
      bytes(input.slice(index * 11, index * 11 + 11)),
    );
    const lines: string[] = [];
    const consume = (async () => {
      for await (const line of reader) lines.push(text(line));
    })();
    // Let the buffer fill past 2 × limit before the consumer gets going.
    reader.feedData(chunks[0]!);
    expect(transport.calls).toEqual(["pause"]);
    await feedRespectingPause(reader, transport, chunks.slice(1));
    await consume;
    expect(lines.join("")).toBe(input);
    expect(transport.paused).toBe(false);
  });
});

describe("StreamReader with a transport that cannot pause", () => {
  class CannotPause implements ReadingTransport {
    pauses = 0;
    resumes = 0;
    pauseReading(): void {
      this.pauses++;
      throw new NotImplementedError("pauseReading");
    }
    resumeReading(): void {
      this.resumes++;
    }
  }

  it("forgets a transport whose pauseReading() throws NotImplementedError and never calls it again", async () => {
    const reader = new StreamReader({ limit: 2 });
    const transport = new CannotPause();
    reader.setTransport(transport);
    expect(() => reader.feedData(bytes("12345"))).not.toThrow();
    expect(transport.pauses).toBe(1);
    reader.feedData(bytes("6789"));
    reader.feedData(bytes("0"));
    expect(transport.pauses).toBe(1);
    expect(String(reader)).toBe("<StreamReader 10 bytes limit=2>");
    expect(text(await reader.read(10))).toBe("1234567890");
    const waiting = reader.readExactly(3);
    reader.feedData(bytes("abcdefg"));
    expect(text(await waiting)).toBe("abc");
    expect(transport.pauses).toBe(1);
    expect(transport.resumes).toBe(0);
  });

  it("lets another error from pauseReading() escape feedData(), keeps the bytes, and tries again on the next chunk", () => {
    const reader = new StreamReader({ limit: 2 });
    const failure = new Error("transport broke");
    let attempts = 0;
    reader.setTransport({
      pauseReading: () => {
        attempts++;
        throw failure;
      },
      resumeReading: () => undefined,
    });
    expect(() => reader.feedData(bytes("12345"))).toThrow(failure);
    expect(buffered(reader)).toBe("12345");
    expect(() => reader.feedData(bytes("6"))).toThrow(failure);
    expect(attempts).toBe(2);
  });
});
