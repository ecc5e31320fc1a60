import { IncompleteReadError } from "@asyncstreams/reader";
import { afterEach, describe, expect, it } from "vitest";
import { readReply } from "../src/read-reply.js";
import { RedisClient } from "../src/redis-client.js";
import { RedisProtocolError } from "../src/redis-protocol-error.js";
import { RedisReplyError } from "../src/redis-reply-error.js";
import { bytes, text } from "@asyncstreams/test-utils";
import { memoryStreams, turn } from "./_memory-streams.js";
import type { MemoryStreams } from "./_memory-streams.js";

// The client over an in-memory pair, with the test playing the server. A command is itself a RESP
// array of bulk strings, so the server side reads it with readReply() too.

let streams: MemoryStreams;
afterEach(async () => {
  await streams.close();
});

async function nextCommand(): Promise<string[]> {
  const command = await readReply(streams.server.reader, { signal: AbortSignal.timeout(2_000) });
  return (command as Uint8Array[]).map(text);
}

describe("RedisClient (in memory)", () => {
  it("command() sends a RESP array and returns the reply", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const reply = client.command("ECHO", "hi");
    expect(await nextCommand()).toEqual(["ECHO", "hi"]);
    streams.server.writer.write(bytes("$2\r\nhi\r\n"));
    expect(text((await reply) as Uint8Array)).toBe("hi");
  });

  it("pipelines concurrent calls: all commands go out before any reply, replies match in order", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const replies = [client.incr("a"), client.getString("b"), client.del("c", "d")];
    expect(await nextCommand()).toEqual(["INCR", "a"]);
    expect(await nextCommand()).toEqual(["GET", "b"]);
    expect(await nextCommand()).toEqual(["DEL", "c", "d"]);
    streams.server.writer.write(bytes(":1\r\n$3\r\nbee\r\n:2\r\n"));
    expect(await Promise.all(replies)).toEqual([1, "bee", 2]);
  });

  it("command() throws RedisReplyError for an error reply, and the next command still works", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const failing = client.command("NOPE");
    const next = client.command("PING");
    streams.server.writer.write(bytes("-ERR unknown command 'NOPE'\r\n+PONG\r\n"));
    await expect(failing).rejects.toBeInstanceOf(RedisReplyError);
    expect(await next).toBe("PONG");
  });

  it("pipeline() returns error replies in place instead of throwing", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const replies = client.pipeline([
      ["SET", "k", "v"],
      ["INCR", "k"],
      ["GET", "k"],
    ]);
    streams.server.writer.write(bytes("+OK\r\n-ERR value is not an integer or out of range\r\n$1\r\nv\r\n"));
    const [set, incr, get] = await replies;
    expect(set).toBe("OK");
    expect(incr).toBeInstanceOf(RedisReplyError);
    expect(get).toEqual(bytes("v"));
  });

  it("set() returns false for a null reply (NX/XX not met) and sends PX and the condition", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const set = client.set("k", "v", { expireMs: 1500, condition: "NX" });
    expect(await nextCommand()).toEqual(["SET", "k", "v", "PX", "1500", "NX"]);
    streams.server.writer.write(bytes("$-1\r\n"));
    expect(await set).toBe(false);
  });

  it("incr() throws RangeError for a result past Number.MAX_SAFE_INTEGER", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const incr = client.incr("big");
    streams.server.writer.write(bytes(":9007199254740993\r\n"));
    await expect(incr).rejects.toThrow("Cannot return the INCR result: 9007199254740993 is not a safe integer");
  });

  it("a reply of the wrong type for a typed method throws RedisProtocolError", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const get = client.get("k");
    streams.server.writer.write(bytes(":5\r\n"));
    await expect(get).rejects.toThrow("Cannot read the GET reply: unexpected 5");
  });

  it("a protocol error fails every waiting command and closes the client for good", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const first = client.command("PING");
    const second = client.command("PING");
    streams.server.writer.write(bytes("!bogus\r\n+PONG\r\n"));
    await expect(first).rejects.toBeInstanceOf(RedisProtocolError);
    await expect(second).rejects.toBeInstanceOf(RedisProtocolError);
    await expect(client.command("PING")).rejects.toBeInstanceOf(RedisProtocolError);
    await turn();
    expect(streams.client.writer.isClosing()).toBe(true);
  });

  it("the connection ending fails the waiting command with IncompleteReadError", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    const reply = client.command("PING");
    streams.server.writer.close();
    await expect(reply).rejects.toBeInstanceOf(IncompleteReadError);
  });

  it("close() makes later commands fail at once", async () => {
    streams = memoryStreams();
    const client = new RedisClient(streams.client);
    await client.close();
    await expect(client.command("PING")).rejects.toThrow("Cannot send a command: the client is closed");
  });
});
