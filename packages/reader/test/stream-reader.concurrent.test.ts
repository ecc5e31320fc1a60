import { describe, expect, it } from "vitest";
import { LimitOverrunError, ReadInProgressError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { buffered } from "./_helpers.js";

describe("StreamReader concurrent reads (CPython section D)", () => {
  it.each([
    ["readLine()", (reader: StreamReader) => reader.readLine(), "readLine"],
    ["readLines()", (reader: StreamReader) => reader.readLines(), "readLine"],
    ["readUntil()", (reader: StreamReader) => reader.readUntil(bytes("\r\n")), "readUntil"],
    ["read(n)", (reader: StreamReader) => reader.read(4), "read"],
    ["read(-1)", (reader: StreamReader) => reader.read(-1), "read"],
    ["readExactly()", (reader: StreamReader) => reader.readExactly(4), "readExactly"],
  ] as const)(
    "a second %s while another read waits throws ReadInProgressError naming the method, and the first read is undisturbed",
    async (_name, second, method) => {
      const reader = new StreamReader();
      const first = track(reader.readLine());
      await eventLoopTurn();
      const error = await rejectionOf(second(reader));
      expect(error).toBeInstanceOf(ReadInProgressError);
      expect((error as Error).message).toBe(
        `${method}() called while another read is already waiting for incoming data: await the pending readLine() first`,
      );
      expect(first.settled).toBe(false);
      reader.feedData(bytes("line\n"));
      expect(text(await first.promise)).toBe("line\n");
    },
  );

  it.each([
    ["readExactly()", (reader: StreamReader) => reader.readExactly(4), "readExactly"],
    ["readUntil()", (reader: StreamReader) => reader.readUntil(bytes(";")), "readUntil"],
    ["read(-1)", (reader: StreamReader) => reader.read(-1), "read"],
    ["peek()", (reader: StreamReader) => reader.peek(1), "peek"],
  ] as const)(
    "ReadInProgressError names the waiting %s as well as the refused read, and says to await it",
    async (_name, first, waiting) => {
      const reader = new StreamReader();
      const pending = track(first(reader));
      await eventLoopTurn();
      const error = await rejectionOf(reader.readLine());
      expect((error as Error).message).toBe(
        `readLine() called while another read is already waiting for incoming data: await the pending ${waiting}() first`,
      );
      reader.feedEof();
      await pending.promise.catch(() => undefined);
    },
  );

  it("a second read that can complete from the buffer does not wait, so it does not conflict (as in asyncio)", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    const first = track(reader.readExactly(5));
    await eventLoopTurn();
    expect(text(await reader.read(2))).toBe("ab");
    reader.feedData(bytes("defgh"));
    expect(text(await first.promise)).toBe("cdefg");
  });

  it("line iteration while a read waits throws ReadInProgressError naming readLine(), which it calls", async () => {
    const reader = new StreamReader();
    const first = reader.read(1);
    await eventLoopTurn();
    const error = await rejectionOf(reader[Symbol.asyncIterator]().next());
    expect((error as Error).message).toBe(
      "readLine() called while another read is already waiting for incoming data: await the pending read() first",
    );
    reader.feedEof();
    expect((await first).length).toBe(0);
  });
});

describe("StreamReader results and bufferedBytes()", () => {
  it("bufferedBytes() returns a copy: writing into it does not change the reader", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    reader.bufferedBytes().fill(0x7a);
    expect(text(await reader.read(3))).toBe("abc");
  });

  it("results stay intact through later feeds and reads, and writing into one result does not change another", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("one\ntwo\nthree\n"));
    const first = await reader.readLine();
    const second = await reader.readLine();
    reader.feedData(bytes("four\n"));
    const rest = await reader.readExactly(10);
    first.fill(0x78);
    expect(text(second)).toBe("two\n");
    expect(text(rest)).toBe("three\nfour");
    expect(buffered(reader)).toBe("\n");
  });
});

describe("StreamReader concurrent reads: the waiting read's search", () => {
  it("a refused second readUntil() with a shorter separator leaves the waiting read's resume point alone", async () => {
    // The waiting read has searched "ab\r\n\r" for "\r\n\r\n" and resumes from offset 2. The second
    // read searches for one byte, would resume from 5, then is refused: were that offset shared, the
    // first read would never see the separator that starts at 2.
    const reader = new StreamReader();
    reader.feedData(bytes("ab\r\n\r"));
    const first = track(reader.readUntil(bytes("\r\n\r\n")));
    await eventLoopTurn();
    expect(await rejectionOf(reader.readUntil(bytes("x")))).toBeInstanceOf(ReadInProgressError);
    reader.feedData(bytes("\nrest"));
    expect(text(await first.promise)).toBe("ab\r\n\r\n");
    expect(reader.bufferedLength).toBe(4);
  });

  // The "skip" policy discards as it scans, and its state belongs to the waiting read: a second read
  // that is refused must not have scanned first.
  it("a refused readLine() leaves a waiting skip read skipping: it drops the rest of its over-long line", async () => {
    const reader = new StreamReader({ limit: 4 });
    const skipping = track(reader.readLine({ overflow: "skip" }));
    reader.feedData(bytes("aaaaaaaa")); // over the limit, no newline: dropped, and the read waits on
    await eventLoopTurn();
    expect(reader.skippedCount).toBe(1);
    expect(await rejectionOf(reader.readLine())).toBeInstanceOf(ReadInProgressError);
    reader.feedData(bytes("tail\nnext\n"));
    expect(text(await skipping.promise)).toBe("next\n");
  });

  it.each([
    ["readLine()", (reader: StreamReader) => reader.readLine({ overflow: "skip" })],
    ["readUntil()", (reader: StreamReader) => reader.readUntil(bytes("z"), { overflow: "skip" })],
  ] as const)("a refused skip %s discards nothing of a waiting read's bytes", async (_name, second) => {
    const reader = new StreamReader({ limit: 4 });
    const first = track(reader.readUntil(bytes("\r\n\r\n")));
    reader.feedData(bytes("abcxef")); // 6 bytes: over the limit for a 1-byte separator, not yet for 4
    await eventLoopTurn();
    expect(await rejectionOf(second(reader))).toBeInstanceOf(ReadInProgressError);
    expect(text(reader.bufferedBytes())).toBe("abcxef");
    expect(reader.skippedCount).toBe(0);
    reader.feedData(bytes("\r\n\r\n"));
    expect(await rejectionOf(first.promise)).toBeInstanceOf(LimitOverrunError); // as without the second read
    expect(text(reader.bufferedBytes())).toBe("abcxef\r\n\r\n");
  });
});
