import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "../src/parse-redis-url.js";

describe("parseRedisUrl()", () => {
  it("reads host, port, password and database", () => {
    expect(parseRedisUrl("redis://:s%40cret@127.0.0.1:6380/3")).toEqual({
      host: "127.0.0.1",
      port: 6380,
      password: "s@cret",
      database: 3,
    });
  });

  it("defaults to port 6379 and strips IPv6 brackets", () => {
    expect(parseRedisUrl("redis://localhost")).toEqual({ host: "localhost", port: 6379 });
    expect(parseRedisUrl("redis://[::1]:7000")).toEqual({ host: "::1", port: 7000 });
  });

  it("refuses other schemes, non-URLs and a bad database", () => {
    expect(() => parseRedisUrl("rediss://127.0.0.1")).toThrow(
      "Cannot parse the Redis URL: expected redis:, got rediss:",
    );
    expect(() => parseRedisUrl("127.0.0.1:6379")).toThrow(TypeError);
    expect(() => parseRedisUrl("redis://127.0.0.1/x")).toThrow(RangeError);
  });
});
