import type { RedisClientOptions } from "./redis-client.js";

/**
 * Parses a `redis://[[user]:password@]host[:port][/database]` URL into connect options. Only plain
 * `redis:` is accepted: this example does not speak TLS (`rediss:`).
 *
 * @param url The URL, such as `redis://127.0.0.1:6379/0`.
 * @returns `host`, `port` and, when present, `password` and `database`.
 * @throws {TypeError} When the URL cannot be parsed or is not `redis:`.
 * @throws {RangeError} When the database is not a non-negative integer.
 *
 * @example
 * ```ts
 * import { parseRedisUrl } from "./parse-redis-url.js";
 *
 * console.log(parseRedisUrl("redis://127.0.0.1:6380/2")); // { host: "127.0.0.1", port: 6380, database: 2 }
 * ```
 */
export function parseRedisUrl(url: string): RedisClientOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TypeError(`Cannot parse the Redis URL: ${JSON.stringify(url)} is not a URL`, { cause: error });
  }
  if (parsed.protocol !== "redis:")
    throw new TypeError(`Cannot parse the Redis URL: expected redis:, got ${parsed.protocol}`);
  // URL keeps IPv6 brackets in hostname; the socket wants the bare address.
  const options: RedisClientOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
  };
  if (parsed.password !== "") options.password = decodeURIComponent(parsed.password);
  const path = parsed.pathname.replace(/^\//, "");
  if (path !== "") {
    if (!/^\d+$/.test(path))
      throw new RangeError(
        `Cannot parse the Redis URL: database ${JSON.stringify(path)} is not a non-negative integer`,
      );
    options.database = Number(path);
  }
  return options;
}
