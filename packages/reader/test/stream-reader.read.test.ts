import { describe, expect, it } from "vitest";
import {
  IncompleteReadError,
  InvalidStateError,
  LimitOverrunError,
  ReadInProgressError,
  StreamReader,
} from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { DATA, FakeTransport, RuntimeError, ValueError, buffered } from "./_helpers.js";

/** CPython's `loop.call_soon(callback)`: runs after the read under test has started waiting. */
function soon(callback: () => void): void {
  setTimeout(callback, 0);
}

describe("StreamReader constructor", () => {
  it("test_invalid_limit: a limit of 0 or below throws a RangeError saying the limit cannot be <= 0", () => {
    for (const limit of [0, -1]) {
      expect(() => new StreamReader({ limit })).toThrow(RangeError);
      expect(() => new StreamReader({ limit })).toThrow("Limit cannot be <= 0");
    }
  });

  it("rejects a limit that is not a positive integer or Infinity with a RangeError naming limit and the value", () => {
    expect(() => new StreamReader({ limit: Number.NaN })).toThrow(
      new RangeError("Cannot create a StreamReader: limit should be a positive integer or Infinity, got NaN"),
    );
    for (const limit of [2.5, 2 ** 53, -Infinity]) expect(() => new StreamReader({ limit })).toThrow(RangeError);
    expect(() => new StreamReader({ limit: "8" as unknown as number })).toThrow(
      new TypeError('Cannot create a StreamReader: limit should be a number, got "8" (string)'),
    );
    expect(new StreamReader({ limit: Infinity }).limit).toBe(Infinity);
  });

  it('limit 2.5 with overflow "chunk" is refused: it used to return ab, cd, fg and never e or h', () => {
    expect(() => new StreamReader({ limit: 2.5, overflow: "chunk" })).toThrow(RangeError);
  });

  it('an unknown option or overflow policy is refused by name (a misspelled policy acted as "skip")', async () => {
    expect(() => new StreamReader({ limt: 8 } as never)).toThrow(
      new TypeError('Cannot create a StreamReader: unknown option "limt"; the options are limit, overflow and search'),
    );
    expect(() => new StreamReader({ overflow: "skipp" as never })).toThrow(
      'Cannot create a StreamReader: overflow should be "error", "skip" or "chunk", got "skipp"',
    );
    const reader = new StreamReader({ limit: 2 });
    reader.feedData(bytes("abcdef\nxy\n"));
    expect(await rejectionOf(reader.readLine({ overflow: "Skip" as never }))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.readUntil(bytes("\n"), { overflow: "drop" as never }))).toBeInstanceOf(RangeError);
    expect(buffered(reader)).toBe("abcdef\nxy\n");
  });

  it("keeps the limit it was given", () => {
    expect(new StreamReader({ limit: 3 }).limit).toBe(3);
  });
});

describe("StreamReader.feedData() and read() (CPython A2)", () => {
  it("test_feed_empty_data: feeding an empty chunk leaves the buffer empty", () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array(0));
    expect(buffered(reader)).toBe("");
  });

  it("test_feed_nonempty_data: fed bytes are buffered as they are", () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_read_zero: read(0) returns an empty array and leaves the buffer untouched", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect((await reader.read(0)).length).toBe(0);
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_read: read(30) waiting on an empty stream returns the 18 bytes fed later, fewer than asked", async () => {
    const reader = new StreamReader();
    const read = reader.read(30);
    soon(() => reader.feedData(bytes(DATA)));
    expect(text(await read)).toBe(DATA);
    expect(buffered(reader)).toBe("");
  });

  it("test_read_line_breaks: read(5) returns the first chunk and leaves the second buffered", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line1"));
    reader.feedData(bytes("line2"));
    expect(text(await reader.read(5))).toBe("line1");
    expect(buffered(reader)).toBe("line2");
  });

  it("test_read_eof: a waiting read(1024) returns an empty array when EOF is fed", async () => {
    const reader = new StreamReader();
    const read = reader.read(1024);
    soon(() => reader.feedEof());
    expect((await read).length).toBe(0);
    expect(buffered(reader)).toBe("");
  });

  it("test_read_until_eof: read(-1) returns every chunk fed before EOF, joined", async () => {
    const reader = new StreamReader();
    const read = reader.read(-1);
    soon(() => {
      reader.feedData(bytes("chunk1\n"));
      reader.feedData(bytes("chunk2"));
      reader.feedEof();
    });
    expect(text(await read)).toBe("chunk1\nchunk2");
    expect(buffered(reader)).toBe("");
  });

  it("read() with no argument reads until EOF, like read(-1)", async () => {
    const reader = new StreamReader();
    const read = reader.read();
    reader.feedData(bytes("a"));
    await eventLoopTurn();
    reader.feedData(bytes("b"));
    reader.feedEof();
    expect(text(await read)).toBe("ab");
  });

  it("test_read_exception: after setException() read(2) throws even though bytes are still buffered", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line\n"));
    expect(text(await reader.read(2))).toBe("li");
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.read(2))).toBe(error);
    expect(buffered(reader)).toBe("ne\n");
  });

  it("test_read_limit: read(5) with limit=3 returns all 5 bytes: read() is not bounded by the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("chunk"));
    expect(text(await reader.read(5))).toBe("chunk");
    expect(buffered(reader)).toBe("");
  });

  it("read(-5) reads until EOF exactly as read(-1) does", async () => {
    const reader = new StreamReader();
    const read = reader.read(-5);
    reader.feedData(bytes("ab"));
    await eventLoopTurn();
    expect(track(read).settled).toBe(false);
    reader.feedData(bytes("cd"));
    reader.feedEof();
    expect(text(await read)).toBe("abcd");
  });

  it("read(0) after setException() throws the stored exception: the exception check comes first", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("data"));
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.read(0))).toBe(error);
  });

  it("read(n) at EOF with an empty buffer returns an empty array at once", async () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect((await reader.read(10)).length).toBe(0);
    expect((await reader.read(-1)).length).toBe(0);
  });

  it("read(n) throws a RangeError naming n for a number that is not an integer, a TypeError for a string, and consumes nothing", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    expect(await rejectionOf(reader.read(1.5))).toEqual(
      new RangeError("Cannot read: n should be an integer (negative: until EOF) or Infinity, got 1.5"),
    );
    for (const n of [Number.NaN, 2 ** 53, -Infinity])
      expect(await rejectionOf(reader.read(n))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.read("2" as unknown as number))).toEqual(
      new TypeError('Cannot read: n should be a number, got "2" (string)'),
    );
    expect(buffered(reader)).toBe("abc");
    expect(text(await reader.read(Infinity))).toBe("abc");
  });

  it("feedData(b'') does not wake a waiting read", async () => {
    const reader = new StreamReader();
    const read = track(reader.read(5));
    reader.feedData(new Uint8Array(0));
    await eventLoopTurn();
    expect(read.settled).toBe(false);
    expect(String(reader)).toBe("<StreamReader waiter=<Promise pending>>");
    reader.feedEof();
    await eventLoopTurn();
    expect(read.settled).toBe(true);
    expect(read.value!.length).toBe(0);
  });

  it("feedData() throws a TypeError for something that is not a Uint8Array", () => {
    const reader = new StreamReader();
    expect(() => reader.feedData("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(buffered(reader)).toBe("");
  });

  it("read(-1) keeps the bytes buffered when an exception interrupts it (a deliberate difference from asyncio)", async () => {
    const reader = new StreamReader({ limit: 2 });
    reader.feedData(bytes("abcdef"));
    const read = reader.read(-1);
    await eventLoopTurn();
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(read)).toBe(error);
    expect(buffered(reader)).toBe("abcdef");
  });
});

describe("StreamReader.atEof() (CPython A3)", () => {
  it("test_at_eof: atEof() turns true only once EOF was fed and the last byte was read", async () => {
    const reader = new StreamReader();
    expect(reader.atEof()).toBe(false);
    reader.feedData(bytes("some data\n"));
    expect(reader.atEof()).toBe(false);
    await reader.readLine();
    expect(reader.atEof()).toBe(false);
    reader.feedData(bytes("some data\n"));
    reader.feedEof();
    expect(reader.atEof()).toBe(false);
    await reader.readLine();
    expect(reader.atEof()).toBe(true);
  });
});

describe("StreamReader.readExactly() (CPython A5)", () => {
  it("test_readexactly_zero_or_less: readExactly(0) returns empty and readExactly(-1) throws a RangeError; the buffer is untouched", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect((await reader.readExactly(0)).length).toBe(0);
    expect(buffered(reader)).toBe(DATA);
    const error = await rejectionOf(reader.readExactly(-1));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain("readexactly size can not be less than zero");
    expect(buffered(reader)).toBe(DATA);
  });

  it("test_readexactly: readExactly(36) returns two copies of DATA when three are fed, leaving the third", async () => {
    const reader = new StreamReader();
    const read = reader.readExactly(2 * DATA.length);
    soon(() => {
      reader.feedData(bytes(DATA));
      reader.feedData(bytes(DATA));
      reader.feedData(bytes(DATA));
    });
    expect(text(await read)).toBe(DATA + DATA);
    expect(buffered(reader)).toBe(DATA);
  });

  it("readExactly() waits across several separate feeds until it has n bytes", async () => {
    const reader = new StreamReader();
    const read = track(reader.readExactly(6));
    for (const chunk of ["ab", "cd", "e"]) {
      reader.feedData(bytes(chunk));
      await eventLoopTurn();
      expect(read.settled).toBe(false);
    }
    reader.feedData(bytes("fg"));
    expect(text(await read.promise)).toBe("abcdef");
    expect(buffered(reader)).toBe("g");
  });

  it("test_readexactly_limit: readExactly(5) with limit=3 returns 5 bytes: not bounded by the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("chunk"));
    expect(text(await reader.readExactly(5))).toBe("chunk");
    expect(buffered(reader)).toBe("");
  });

  it("test_readexactly_eof: readExactly(36) throws IncompleteReadError with the 18 bytes fed before EOF and empties the buffer", async () => {
    const reader = new StreamReader();
    const read = reader.readExactly(2 * DATA.length);
    soon(() => {
      reader.feedData(bytes(DATA));
      reader.feedEof();
    });
    const error = await rejectionOf(read);
    expect(error).toBeInstanceOf(IncompleteReadError);
    const incomplete = error as IncompleteReadError;
    expect(text(incomplete.partial)).toBe(DATA);
    expect(incomplete.expected).toBe(36);
    expect(incomplete.message).toBe("18 bytes read on a total of 36 expected bytes");
    expect(buffered(reader)).toBe("");
  });

  it("test_readexactly_exception: after setException() readExactly(2) throws the stored exception", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line\n"));
    expect(text(await reader.readExactly(2))).toBe("li");
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.readExactly(2))).toBe(error);
  });

  it("readExactly(-1) after setException() throws a RangeError: the argument check comes first", async () => {
    const reader = new StreamReader();
    reader.setException(new ValueError());
    expect(await rejectionOf(reader.readExactly(-1))).toBeInstanceOf(RangeError);
  });

  it('readExactly() throws a RangeError naming n for a non-integer, and never calls "5" a non-integer', async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("abc"));
    expect(await rejectionOf(reader.readExactly(1.5))).toEqual(
      new RangeError("Cannot read exactly: n should be a non-negative integer, got 1.5"),
    );
    for (const n of [Number.NaN, Infinity, 2 ** 53])
      expect(await rejectionOf(reader.readExactly(n))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.readExactly("5" as unknown as number))).toEqual(
      new TypeError('Cannot read exactly: n should be a number, got "5" (string)'),
    );
    expect(buffered(reader)).toBe("abc");
  });
});

describe("StreamReader.setException() and exception() (CPython A6)", () => {
  it("test_exception: exception() is undefined at first and then the very object given to setException()", () => {
    const reader = new StreamReader();
    expect(reader.exception()).toBeUndefined();
    const error = new ValueError();
    reader.setException(error);
    expect(reader.exception()).toBe(error);
  });

  it("test_exception_waiter: a readLine() waiting for data is woken with the exception set later", async () => {
    const reader = new StreamReader();
    const line = reader.readLine();
    const error = new ValueError();
    soon(() => reader.setException(error));
    expect(await rejectionOf(line)).toBe(error);
  });

  it("test_exception_cancel: setException() after a waiting readLine() was aborted does not throw and leaves no waiter", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const line = track(reader.readLine({ signal: controller.signal }));
    await eventLoopTurn();
    expect(line.settled).toBe(false);
    controller.abort();
    await eventLoopTurn();
    expect(line.rejected).toBe(true);
    expect(() => reader.setException(new RuntimeError("message"))).not.toThrow();
    await eventLoopTurn();
    expect(String(reader)).toBe('<StreamReader exception=RuntimeError("message")>');
  });

  it("setException() does not set EOF, and every later read throws the same object", async () => {
    const reader = new StreamReader();
    const error = new ValueError("boom");
    reader.setException(error);
    expect(reader.atEof()).toBe(false);
    expect(await rejectionOf(reader.read(1))).toBe(error);
    expect(await rejectionOf(reader.readLine())).toBe(error);
    expect(await rejectionOf(reader.readExactly(1))).toBe(error);
    expect(await rejectionOf(reader.readUntil(bytes("x")))).toBe(error);
  });
});

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

// Where each reader error is thrown (the classes themselves: packages/error-table/test/errors.test.ts).
describe("StreamReader errors", () => {
  it("feedData() after feedEof() throws InvalidStateError, even for an empty chunk, and nothing is buffered", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedData(bytes("late"))).toThrow(InvalidStateError);
    expect(() => reader.feedData(new Uint8Array(0))).toThrow(InvalidStateError);
    expect(buffered(reader)).toBe("");
  });

  it("a second setTransport() throws InvalidStateError and keeps the first transport", () => {
    const reader = new StreamReader();
    const first = new FakeTransport();
    reader.setTransport(first);
    expect(() => reader.setTransport(new FakeTransport())).toThrow(InvalidStateError);
    reader.feedData(new Uint8Array(2 * reader.limit + 1));
    expect(first.calls).toEqual(["pause"]);
  });

  it("feedEof() twice does not throw", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedEof()).not.toThrow();
    expect(reader.atEof()).toBe(true);
  });

  it("readExactly() at EOF throws IncompleteReadError holding the bytes it removed from the reader", async () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array([1, 2]));
    reader.feedEof();
    const error = (await rejectionOf(reader.readExactly(4))) as IncompleteReadError;
    expect(error).toBeInstanceOf(IncompleteReadError);
    expect(Array.from(error.partial)).toEqual([1, 2]);
    expect(error.expected).toBe(4);
    expect(buffered(reader)).toBe("");
  });

  it("readUntil() over the limit throws LimitOverrunError with consumed = the separator's index, keeping the bytes", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("too long\n"));
    const error = (await rejectionOf(reader.readUntil(bytes("\n")))) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message.startsWith("Separator is found, but chunk is longer than limit")).toBe(true);
    expect(error.consumed).toBe(8);
    expect(buffered(reader)).toBe("too long\n");
  });

  it("readLine() over the limit throws LimitOverrunError where asyncio raises ValueError, with the same message", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("abcd"));
    const error = (await rejectionOf(reader.readLine())) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message.startsWith("Separator is not found, and chunk exceed the limit")).toBe(true);
    expect(error.consumed).toBe(4);
  });
});
