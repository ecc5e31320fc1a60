import { IncompleteReadError, LimitOverrunError } from "@asyncstreams/reader";
import { afterEach, describe, expect, it } from "vitest";
import { readReply } from "../src/read-reply.js";
import { RedisProtocolError } from "../src/redis-protocol-error.js";
import { RedisReplyError } from "../src/redis-reply-error.js";
import type { RedisReply } from "../src/redis-reply.js";
import { bytes } from "@asyncstreams/test-utils";
import { memoryStreams, turn } from "./_memory-streams.js";
import type { MemoryStreams } from "./_memory-streams.js";

/** Every RESP2 type, back to back, with the value each must parse to. */
const REPLIES: readonly [wire: string, expected: RedisReply][] = [
  ["+OK\r\n", "OK"],
  ["+\r\n", ""],
  ["-ERR unknown command 'FOO'\r\n", new RedisReplyError("ERR unknown command 'FOO'")],
  [":0\r\n", 0],
  [":-42\r\n", -42],
  [":9223372036854775807\r\n", 9223372036854775807n],
  ["$5\r\nhello\r\n", bytes("hello")],
  ["$0\r\n\r\n", bytes("")],
  ["$4\r\n\r\n\r\n\r\n", bytes("\r\n\r\n")],
  ["$-1\r\n", null],
  ["*0\r\n", []],
  ["*-1\r\n", null],
  [
    "*3\r\n:1\r\n$-1\r\n*2\r\n+nested\r\n-WRONGTYPE bad\r\n",
    [1, null, ["nested", new RedisReplyError("WRONGTYPE bad")]],
  ],
];
const WIRE = bytes(REPLIES.map(([wire]) => wire).join(""));

/** Compares replies, treating errors by class and text (toEqual alone ignores extra error fields). */
function normalize(reply: RedisReply): unknown {
  if (reply instanceof RedisReplyError) return { error: reply.reply, prefix: reply.prefix };
  if (reply instanceof Uint8Array) return { bytes: Array.from(reply) };
  if (Array.isArray(reply)) return (reply as readonly RedisReply[]).map(normalize);
  return reply;
}

let streams: MemoryStreams;
afterEach(async () => {
  await streams.close();
});

async function readAll(count: number): Promise<unknown[]> {
  const replies: unknown[] = [];
  for (let index = 0; index < count; index++)
    replies.push(normalize(await readReply(streams.client.reader, { signal: AbortSignal.timeout(2_000) })));
  return replies;
}

describe("readReply()", () => {
  it("parses every RESP2 type: simple, error, integer, bulk, null bulk, array, null array, nested", async () => {
    streams = memoryStreams();
    streams.server.writer.write(WIRE);
    expect(await readAll(REPLIES.length)).toEqual(REPLIES.map(([, expected]) => normalize(expected)));
  });

  it("parses the same replies split into two chunks at every byte offset", async () => {
    for (let offset = 1; offset < WIRE.length; offset++) {
      streams = memoryStreams();
      const reading = readAll(REPLIES.length);
      streams.server.writer.write(WIRE.slice(0, offset));
      await turn(); // the reader sees the first part alone and waits inside a reply
      streams.server.writer.write(WIRE.slice(offset));
      expect(await reading, `split at byte ${offset}`).toEqual(REPLIES.map(([, expected]) => normalize(expected)));
      await streams.close();
    }
  });

  it("parses the same replies arriving one byte at a time", async () => {
    streams = memoryStreams();
    const reading = readAll(REPLIES.length);
    for (let offset = 0; offset < WIRE.length; offset++) {
      streams.server.writer.write(WIRE.slice(offset, offset + 1));
      if (offset % 7 === 0) await turn();
    }
    expect(await reading).toEqual(REPLIES.map(([, expected]) => normalize(expected)));
  });

  it("returns a bulk string larger than the reader's limit (readExactly is not bounded by it)", async () => {
    streams = memoryStreams();
    const value = new Uint8Array(200_000).fill(7);
    streams.server.writer.write(bytes(`$${value.length}\r\n`));
    streams.server.writer.write(value);
    streams.server.writer.write(bytes("\r\n"));
    const reply = await readReply(streams.client.reader);
    expect(reply).toBeInstanceOf(Uint8Array);
    expect((reply as Uint8Array).length).toBe(200_000);
  });

  it("gives RedisReplyError the first upper-case word as prefix, and ERR for a bare message", async () => {
    streams = memoryStreams();
    streams.server.writer.write(bytes("-NOSCRIPT No matching script\r\n-oops\r\n"));
    const first = await readReply(streams.client.reader);
    const second = await readReply(streams.client.reader);
    expect(first).toMatchObject({
      prefix: "NOSCRIPT",
      code: "ERR_REDIS_REPLY",
      message: "Redis replied with an error: NOSCRIPT No matching script",
    });
    expect(second).toMatchObject({ prefix: "ERR", reply: "oops" });
  });

  it.each([
    ["?what\r\n", 'Cannot parse a reply: unknown type byte "?"'],
    [":12a\r\n", 'Cannot parse an integer reply: "12a"'],
    ["$-2\r\n", 'Cannot parse a bulk string length: "-2"'],
    ["$3\r\nabcde\r\n", "Cannot parse a bulk string: no CRLF after its 3 bytes"],
    ["$999999999999\r\n", "Cannot parse a bulk string length: 999999999999 is over 536870912"],
    ["*x\r\n", 'Cannot parse an array length: "x"'],
    [`${"*1\r\n".repeat(70)}:1\r\n`, "Cannot parse an array: nested deeper than 64 levels"],
  ])("throws RedisProtocolError for %j", async (wire, message) => {
    streams = memoryStreams();
    streams.server.writer.write(bytes(wire));
    const error = await readReply(streams.client.reader).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisProtocolError);
    expect(error).toMatchObject({ code: "ERR_REDIS_PROTOCOL", message });
  });

  it("throws IncompleteReadError when the connection ends inside a reply", async () => {
    streams = memoryStreams();
    streams.server.writer.write(bytes("*2\r\n$5\r\nhel"));
    streams.server.writer.writeEof();
    await expect(readReply(streams.client.reader)).rejects.toBeInstanceOf(IncompleteReadError);
  });

  it("throws LimitOverrunError for a type line longer than the reader's limit", async () => {
    streams = memoryStreams();
    streams.server.writer.write(bytes(`+${"x".repeat(70_000)}\r\n`));
    await expect(readReply(streams.client.reader)).rejects.toBeInstanceOf(LimitOverrunError);
  });

  it("rejects with the signal's reason when aborted while waiting", async () => {
    streams = memoryStreams();
    const controller = new AbortController();
    const reading = readReply(streams.client.reader, { signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(reading).rejects.toThrow("stop");
  });
});
