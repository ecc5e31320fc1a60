import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { IncompleteReadError } from "@asyncstreams/reader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRedisServer } from "../src/find-redis-server.js";
import { RedisClient } from "../src/redis-client.js";
import { RedisReplyError } from "../src/redis-reply-error.js";
import { runRedisSession } from "../src/run-redis-session.js";
import { startRedisServer } from "../src/start-redis-server.js";
import type { LocalRedisServer } from "../src/start-redis-server.js";

// Against a real redis-server that the test starts on 127.0.0.1 with a free port. CI installs it
// (`.ci/run`: apt-get install -y redis-server); without it these tests are skipped, loudly.
const executable = findRedisServer();
if (executable === undefined) {
  console.warn(
    "examples/redis: redis-server is not on PATH, so the integration tests are SKIPPED (install it: apt-get install -y redis-server)",
  );
}
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe.skipIf(executable === undefined)("RedisClient against a real redis-server", () => {
  let server: LocalRedisServer;
  let redis: RedisClient;

  beforeAll(async () => {
    server = await startRedisServer({ executable, timeout: 10_000 });
    redis = await RedisClient.connect({ host: server.host, port: server.port, signal: AbortSignal.timeout(15_000) });
  });

  afterAll(async () => {
    // Runs on failure too: the server never outlives the test file.
    await redis?.close();
    await server?.stop();
  });

  it("answers PING with the simple string PONG", async () => {
    expect(await redis.command("PING")).toBe("PONG");
  });

  it("stores and returns a binary value byte for byte, and null for a missing key", async () => {
    const value = Uint8Array.from({ length: 256 }, (_, index) => 255 - index);
    expect(await redis.set("t:binary", value)).toBe(true);
    expect(await redis.get("t:binary")).toEqual(value);
    expect(await redis.get("t:nothing")).toBeNull();
    expect(await redis.set("t:binary", "x", { condition: "NX" })).toBe(false);
  });

  it("pipelines 1,000 INCRs in one write and reads 1,000 replies in order", async () => {
    await redis.del("t:counter");
    const replies = await redis.pipeline(Array.from({ length: 1000 }, () => ["INCR", "t:counter"]));
    expect(replies).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
  });

  it("pipelines concurrent calls without mixing up their replies", async () => {
    await redis.set("t:a", "A");
    await redis.set("t:b", "B");
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) => redis.getString(index % 2 === 0 ? "t:a" : "t:b")),
    );
    expect(results).toEqual(Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? "A" : "B")));
  });

  it("throws RedisReplyError with Redis' prefix, and the connection stays usable", async () => {
    await redis.set("t:text", "not a number");
    await expect(redis.incr("t:text")).rejects.toMatchObject({ prefix: "ERR", code: "ERR_REDIS_REPLY" });
    await redis.command("RPUSH", "t:list", "x");
    await expect(redis.get("t:list")).rejects.toMatchObject({ prefix: "WRONGTYPE" });
    await expect(redis.command("NO-SUCH-COMMAND")).rejects.toBeInstanceOf(RedisReplyError);
    expect(await redis.command("PING")).toBe("PONG");
  });

  it("reads nested arrays with an error inside (MULTI/EXEC), a null array (BLPOP timeout) and a 64-bit integer", async () => {
    const [multi, queued, queuedBad, exec] = await redis.pipeline([
      ["MULTI"],
      ["SET", "t:tx", "1"],
      ["LPUSH", "t:tx", "x"],
      ["EXEC"],
    ]);
    expect([multi, queued, queuedBad]).toEqual(["OK", "QUEUED", "QUEUED"]);
    expect(Array.isArray(exec)).toBe(true);
    const [setReply, pushReply] = exec as unknown[];
    expect(setReply).toBe("OK");
    expect(pushReply).toMatchObject({ prefix: "WRONGTYPE" });

    expect(await redis.command("BLPOP", "t:empty-list", "0.01")).toBeNull();

    await redis.set("t:big", "9007199254740993");
    expect(await redis.command("INCRBY", "t:big", 0)).toBe(9007199254740993n);
    expect(await redis.command("EVAL", "return {1, {2, 'three'}, {}}", 0)).toEqual([
      1,
      [2, new TextEncoder().encode("three")],
      [],
    ]);
  });

  it("stores and returns a 1 MiB value", async () => {
    const value = Uint8Array.from({ length: 1024 * 1024 }, (_, index) => (index * 7) & 0xff);
    await redis.set("t:large", value);
    const back = await redis.get("t:large");
    expect(back?.length).toBe(value.length);
    expect(Buffer.compare(back!, value)).toBe(0);
  });

  it("fails with IncompleteReadError after the server closes the connection (QUIT), then stays closed", async () => {
    const client = await RedisClient.connect({ host: server.host, port: server.port });
    try {
      const [ok] = await client.pipeline([["QUIT"]]);
      expect(ok).toBe("OK");
      await expect(client.command("PING")).rejects.toBeInstanceOf(IncompleteReadError);
      await expect(client.command("PING")).rejects.toBeInstanceOf(IncompleteReadError);
    } finally {
      await client.close();
    }
  });

  it("connect() authenticates: a refused AUTH throws RedisReplyError", async () => {
    await expect(
      RedisClient.connect({ host: server.host, port: server.port, password: "wrong" }),
    ).rejects.toBeInstanceOf(RedisReplyError);
  });

  it("runRedisSession() runs the example's whole session", async () => {
    const lines: string[] = [];
    const result = await runRedisSession({ host: server.host, port: server.port }, (line) => lines.push(line));
    expect(result.pong).toBe("PONG");
    expect(result.binaryRoundTrip).toBe(true);
    expect(result.missing).toBeNull();
    expect(result.incremented).toBe(1);
    expect(result.pipelined).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
    expect(result.error?.prefix).toBe("ERR");
    expect(result.largeRoundTrip).toBe(true);
    expect(lines.at(-1)).toBe("DEL of the example's keys -> 3; closing");
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) starts its own server, runs the session and stops it",
    async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [main], {
        timeout: 20_000,
        env: { ...process.env, REDIS_URL: "" },
      });
      expect(stdout).toMatch(/^started redis-server \(pid \d+\) on 127\.0\.0\.1:\d+$/m);
      expect(stdout).toContain("1,000 pipelined INCRs in one write -> replies 1..1000");
      expect(stdout).toContain("SET/GET asyncstreams:example:large (1 MiB) -> identical");
      expect(stdout.trimEnd().split("\n").at(-1)).toBe("stopped redis-server");
    },
  );

  it.skipIf(!existsSync(main))("the built example uses the server given by REDIS_URL", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [main], {
      timeout: 20_000,
      env: { ...process.env, REDIS_URL: `redis://${server.host}:${server.port}/1` },
    });
    expect(stdout).toContain(`using redis://${server.host}:${server.port}/1`);
    expect(stdout).not.toContain("started redis-server");
    expect(stdout).toContain("PING after the error -> PONG");
  });
});
