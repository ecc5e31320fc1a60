import { RedisClient } from "./redis-client.js";
import type { RedisClientOptions } from "./redis-client.js";
import { RedisReplyError } from "./redis-reply-error.js";

/** What {@linkcode runRedisSession} saw, for the smoke tests. */
export interface RedisSessionResult {
  /** The reply to `PING`. */
  pong: string;
  /** Whether the binary value (all 256 byte values) came back byte for byte. */
  binaryRoundTrip: boolean;
  /** The reply to `GET` of a missing key. */
  missing: Uint8Array | null;
  /** The value after one `INCR`. */
  incremented: number;
  /** The replies to 1,000 pipelined `INCR`s, in order. */
  pipelined: number[];
  /** The error reply to `INCR` of a non-integer value. */
  error: RedisReplyError | undefined;
  /** Whether the 1 MiB value came back byte for byte. */
  largeRoundTrip: boolean;
}

const PREFIX = "asyncstreams:example:";
const LARGE_SIZE = 1024 * 1024;

/**
 * The example's session against a running server: PING, a binary SET/GET, a missing key, INCR,
 * 1,000 pipelined INCRs, an error reply (after which the connection still works) and a 1 MiB
 * value. Keys are prefixed with `asyncstreams:example:` and deleted at the end, so it is safe to
 * point at a server that holds other data.
 *
 * @param options Where the server is (see {@linkcode RedisClient.connect}).
 * @param log Where each line of the transcript goes (`console.log` by default).
 * @returns What the session saw.
 *
 * @example
 * ```ts
 * import { runRedisSession } from "./run-redis-session.js";
 *
 * const result = await runRedisSession({ host: "127.0.0.1", port: 6379 });
 * console.log(result.pipelined.at(-1)); // 1000
 * ```
 */
export async function runRedisSession(
  options: RedisClientOptions,
  log: (line: string) => void = console.log,
): Promise<RedisSessionResult> {
  await using redis = await RedisClient.connect({ signal: AbortSignal.timeout(30_000), ...options });
  const keys = {
    binary: `${PREFIX}binary`,
    counter: `${PREFIX}counter`,
    large: `${PREFIX}large`,
    missing: `${PREFIX}missing`,
  };
  try {
    const pong = String(await redis.command("PING"));
    log(`PING -> ${pong}`);

    // Every byte value, CR, LF and NUL included: bulk strings are length-prefixed, so nothing is escaped.
    const binary = Uint8Array.from({ length: 256 }, (_, index) => index);
    await redis.set(keys.binary, binary);
    const binaryBack = await redis.get(keys.binary);
    const binaryRoundTrip = binaryBack !== null && equal(binaryBack, binary);
    log(`SET/GET ${keys.binary} (256 bytes 0x00..0xff) -> ${binaryRoundTrip ? "identical" : "DIFFERENT"}`);

    const missing = await redis.get(keys.missing);
    log(`GET ${keys.missing} -> ${String(missing)}`);

    await redis.del(keys.counter);
    const incremented = await redis.incr(keys.counter);
    log(`INCR ${keys.counter} -> ${incremented}`);

    await redis.del(keys.counter);
    const replies = await redis.pipeline(Array.from({ length: 1000 }, () => ["INCR", keys.counter]));
    const pipelined = replies.map((reply) => (typeof reply === "number" ? reply : Number.NaN));
    log(`1,000 pipelined INCRs in one write -> replies ${pipelined[0]}..${pipelined.at(-1)}`);

    let error: RedisReplyError | undefined;
    try {
      await redis.incr(keys.binary);
    } catch (caught) {
      if (!(caught instanceof RedisReplyError)) throw caught;
      error = caught;
      log(`INCR ${keys.binary} -> ${caught.name} [${caught.prefix}] ${caught.reply}`);
    }
    log(`PING after the error -> ${String(await redis.command("PING"))}`);

    const large = Uint8Array.from({ length: LARGE_SIZE }, (_, index) => (index * 31 + 7) & 0xff);
    await redis.set(keys.large, large);
    const largeBack = await redis.get(keys.large);
    const largeRoundTrip = largeBack !== null && equal(largeBack, large);
    log(`SET/GET ${keys.large} (1 MiB) -> ${largeRoundTrip ? "identical" : "DIFFERENT"}`);

    return { pong, binaryRoundTrip, missing, incremented, pipelined, error, largeRoundTrip };
  } finally {
    const removed = await redis.del(...Object.values(keys));
    log(`DEL of the example's keys -> ${removed}; closing`);
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
