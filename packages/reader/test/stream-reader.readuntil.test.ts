import { describe, expect, it } from "vitest";
import { IncompleteReadError, LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { ValueError, buffered } from "./_helpers.js";
import { FOUND_TOO_LONG, NOT_FOUND } from "./_model.js";

async function limitError(promise: Promise<Uint8Array>): Promise<LimitOverrunError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(LimitOverrunError);
  return error as LimitOverrunError;
}

describe("StreamReader.readUntil() (CPython A4)", () => {
  it("test_readuntil_separator: an empty separator, an array holding one, or an empty array throws a RangeError", async () => {
    const reader = new StreamReader();
    for (const separator of [new Uint8Array(0), [new Uint8Array(0)], [bytes("\n"), new Uint8Array(0)]]) {
      const error = await rejectionOf(reader.readUntil(separator));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain("Separator should be at least one-byte string");
    }
    const error = await rejectionOf(reader.readUntil([]));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain("Separator should contain at least one element");
  });

  it("readUntil() throws a TypeError for a separator that is neither a Uint8Array nor an array of them", async () => {
    const reader = new StreamReader();
    expect(await rejectionOf(reader.readUntil("\n" as unknown as Uint8Array))).toBeInstanceOf(TypeError);
    expect(await rejectionOf(reader.readUntil(["\n"] as unknown as Uint8Array[]))).toBeInstanceOf(TypeError);
  });

  it("readUntil(b'') after setException() throws the RangeError: the separator check comes first", async () => {
    const reader = new StreamReader();
    reader.setException(new ValueError());
    expect(await rejectionOf(reader.readUntil(new Uint8Array(0)))).toBeInstanceOf(RangeError);
    expect(await rejectionOf(reader.readUntil([]))).toBeInstanceOf(RangeError);
  });

  it("test_readuntil_multi_chunks: readUntil(b'AAA') returns up to and including the separator and keeps what follows", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("lineAAA"));
    expect(text(await reader.readUntil(bytes("AAA")))).toBe("lineAAA");
    expect(buffered(reader)).toBe("");
    reader.feedData(bytes("lineAAA"));
    expect(text(await reader.readUntil(bytes("AAA")))).toBe("lineAAA");
    expect(buffered(reader)).toBe("");
    reader.feedData(bytes("lineAAAxxx"));
    expect(text(await reader.readUntil(bytes("AAA")))).toBe("lineAAA");
    expect(buffered(reader)).toBe("xxx");
  });

  it.each([
    [["QWEaa", "XYaa", "a"], "QWEaaXYaaa"],
    [["QWEaa", "XYa", "aa"], "QWEaaXYaaa"],
    [["aaa"], "aaa"],
    [["Xaaa"], "Xaaa"],
    [["XXX", "a", "a", "a"], "XXXaaa"],
  ])(
    "test_readuntil_multi_chunks_1: chunks %j read until b'aaa' give %j and leave nothing",
    async (chunks, expected) => {
      const reader = new StreamReader();
      for (const chunk of chunks) reader.feedData(bytes(chunk));
      expect(text(await reader.readUntil(bytes("aaa")))).toBe(expected);
      expect(buffered(reader)).toBe("");
    },
  );

  it("test_readuntil_eof: EOF before the separator throws IncompleteReadError with everything buffered and empties the buffer", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("some dataAA"));
    reader.feedEof();
    const error = await rejectionOf(reader.readUntil(bytes("AAA")));
    expect(error).toBeInstanceOf(IncompleteReadError);
    const incomplete = error as IncompleteReadError;
    expect(incomplete.message).toMatch(/undefined expected bytes/);
    expect(incomplete.message).toBe("11 bytes read on a total of undefined expected bytes");
    expect(text(incomplete.partial)).toBe("some dataAA");
    expect(incomplete.expected).toBeNull();
    expect(buffered(reader)).toBe("");
  });

  it("test_readuntil_limit_found_sep: over the limit readUntil() throws 'not found', then 'is found', and keeps the bytes both times", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("some dataAA"));
    const notFound = await limitError(reader.readUntil(bytes("AAA")));
    expect(notFound.message).toMatch(/not found/);
    expect(notFound.message).toContain(NOT_FOUND);
    expect(notFound.consumed).toBe(9);
    expect(buffered(reader)).toBe("some dataAA");

    reader.feedData(bytes("A"));
    const found = await limitError(reader.readUntil(bytes("AAA")));
    expect(found.message).toMatch(/is found/);
    expect(found.message).toContain(FOUND_TOO_LONG);
    expect(found.consumed).toBe(9);
    expect(buffered(reader)).toBe("some dataAAA");
  });

  it("test_readuntil_multi_separator: the match that ends first wins, even when it is the longer separator", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line 1\nline 2\r"));
    expect(text(await reader.readUntil([bytes("\r"), bytes("\n")]))).toBe("line 1\n");
    expect(text(await reader.readUntil([bytes("\r"), bytes("\n")]))).toBe("line 2\r");
    expect(buffered(reader)).toBe("");

    reader.feedData(bytes("ABCDEFG"));
    expect(text(await reader.readUntil([bytes("DEF"), bytes("BCDE")]))).toBe("ABCDE");
    expect(buffered(reader)).toBe("FG");
  });

  it("test_readuntil_multi_separator_limit: on a tie in end position the shorter separator wins, and its start is over the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("some dataA"));
    const error = await limitError(reader.readUntil([bytes("A"), bytes("ome dataA")]));
    expect(error.message).toMatch(/is found/);
    expect(error.consumed).toBe(9);
    expect(buffered(reader)).toBe("some dataA");
  });

  it("a tie in end position between separators of equal length goes to the one listed first", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("xyz"));
    // Both end at 3; each is two bytes long, so the order given decides (a stable sort, as asyncio).
    expect(text(await reader.readUntil([bytes("yz"), bytes("zz"), bytes("xyz")]))).toBe("xyz");
    reader.feedData(bytes("abab"));
    expect(text(await reader.readUntil([bytes("ba"), bytes("ab")]))).toBe("ab");
  });

  it("test_readuntil_multi_separator_negative_offset: a buffer shorter than the longest separator is still searched from 0", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("data"));
    const read = reader.readUntil([bytes("A"), bytes("long sep")]);
    setTimeout(() => reader.feedData(bytes("Z")), 0);
    setTimeout(() => reader.feedData(bytes("Aaaa")), 0);
    expect(text(await read)).toBe("dataZA");
    expect(buffered(reader)).toBe("aaa");
  });

  it("a long separator that starts inside the first chunk is found once the rest arrives, however short the buffer was", async () => {
    // After the first scan, offset = max(0, 5 + 1 - 8): unclamped it would be -2 and skip "long".
    const reader = new StreamReader();
    reader.feedData(bytes("xlong"));
    const read = reader.readUntil([bytes("A"), bytes("long sep")]);
    await eventLoopTurn();
    reader.feedData(bytes(" sep!"));
    expect(text(await read)).toBe("xlong sep");
    expect(buffered(reader)).toBe("!");
  });

  it("test_readuntil_bytearray: a Uint8Array of two bytes is one separator, not a list of one-byte separators", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("some data\r\n"));
    expect(text(await reader.readUntil(bytes("\r\n")))).toBe("some data\r\n");
    expect(buffered(reader)).toBe("");
  });

  it("readUntil() accepts a subarray view as a separator", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("ab--cd"));
    expect(text(await reader.readUntil(bytes("x--y").subarray(1, 3)))).toBe("ab--");
  });
});

describe("StreamReader.readUntil() limit edges (CPython section D)", () => {
  it("with limit=3 and b'AAA' it keeps waiting at 5 bytes (offset 3) and throws at 6 bytes (offset 4)", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("abcde"));
    const read = track(reader.readUntil(bytes("AAA")));
    await eventLoopTurn();
    expect(read.settled).toBe(false);
    reader.feedData(bytes("f"));
    const error = await limitError(read.promise);
    expect(error.message).toContain(NOT_FOUND);
    expect(error.consumed).toBe(4);
    expect(buffered(reader)).toBe("abcdef");
  });

  it("at EOF with more than the limit buffered and no separator it throws LimitOverrunError, not IncompleteReadError", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("abcdef"));
    reader.feedEof();
    const error = await limitError(reader.readUntil(bytes("\n")));
    expect(error.consumed).toBe(6);
    expect(buffered(reader)).toBe("abcdef");
  });

  it("at EOF with a separator completed by the last chunk it returns the data: EOF is checked after the scan", async () => {
    const reader = new StreamReader();
    const read = reader.readUntil(bytes("AB"));
    reader.feedData(bytes("xA"));
    await eventLoopTurn();
    reader.feedData(bytes("B"));
    reader.feedEof();
    expect(text(await read)).toBe("xAB");
    expect(reader.atEof()).toBe(true);
  });

  it("a separator preceded by exactly limit bytes is accepted, one byte more is 'found but too long'", async () => {
    const reader = new StreamReader({ limit: 4 });
    reader.feedData(bytes("abcd--efghi--"));
    expect(text(await reader.readUntil(bytes("--")))).toBe("abcd--");
    const error = await limitError(reader.readUntil(bytes("--")));
    expect(error.message).toContain(FOUND_TOO_LONG);
    expect(error.consumed).toBe(5);
    expect(text(await reader.read(100))).toBe("efghi--");
  });

  it("the bytes kept after a LimitOverrunError can be read with read()", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("too long\n"));
    expect((await limitError(reader.readUntil(bytes("\n")))).consumed).toBe(8);
    expect(text(await reader.read(100))).toBe("too long\n");
  });
});
