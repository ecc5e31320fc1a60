/**
 * One argument of a Redis command. Strings are sent as UTF-8, numbers and bigints in decimal, and
 * a `Uint8Array` byte for byte, so keys and values may hold any bytes (CR, LF and NUL included).
 *
 * @example
 * ```ts
 * import type { RedisArgument } from "./redis-argument.js";
 *
 * const args: RedisArgument[] = ["SET", "key", new Uint8Array([0, 13, 10, 255])];
 * ```
 */
export type RedisArgument = string | number | bigint | Uint8Array;
