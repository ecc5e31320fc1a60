import type { RedisReplyError } from "./redis-reply-error.js";

/**
 * A RESP2 reply, typed by its first byte:
 *
 * - `+` simple string: `string` (status replies such as `"OK"` and `"PONG"`);
 * - `-` error: a {@linkcode RedisReplyError} value (only thrown by the client at the top level, so an
 *   error inside an array, as `EXEC` returns, stays in its place);
 * - `:` integer: `number` when it is a safe integer, otherwise `bigint` (Redis integers are 64-bit);
 * - `$` bulk string: `Uint8Array` (binary-safe), or `null` for the null bulk string `$-1`;
 * - `*` array: an array of replies (nesting allowed), or `null` for the null array `*-1`.
 *
 * Simple strings and bulk strings are told apart by type on purpose: `"OK"` is a status, the bytes
 * of a value are data.
 *
 * @example
 * ```ts
 * import type { RedisReply } from "./redis-reply.js";
 *
 * const reply: RedisReply = ["OK", 1, new Uint8Array([104, 105]), null];
 * ```
 */
export type RedisReply = string | number | bigint | Uint8Array | null | RedisReplyError | readonly RedisReply[];
