import { StreamError } from "@asyncstreams/buffer";

/**
 * The bytes from the server are not valid RESP2. The connection cannot be trusted any more (the
 * next reply's start is unknown), so the client closes it.
 *
 * @example
 * ```ts
 * import { RedisProtocolError } from "./redis-protocol-error.js";
 *
 * const error = new RedisProtocolError("Cannot parse a reply: unknown type byte \"?\"");
 * console.log(error.code); // "ERR_REDIS_PROTOCOL"
 * ```
 */
export class RedisProtocolError extends StreamError {
  /**
   * @param message The failed action, a colon, then what was wrong.
   */
  constructor(message: string) {
    super("ERR_REDIS_PROTOCOL", message);
  }
}
