import { StreamError } from "@asyncstreams/buffer";

/**
 * An error reply (`-ERR ...`, `-WRONGTYPE ...`) from the server: the command failed, the connection
 * is fine and the next reply is read normally.
 *
 * `code` is always `ERR_REDIS_REPLY`; {@linkcode RedisReplyError.prefix} is Redis' own error kind,
 * the first word of the reply (`ERR`, `WRONGTYPE`, `NOSCRIPT`, ...), to match on.
 *
 * @example
 * ```ts
 * import { RedisReplyError } from "./redis-reply-error.js";
 *
 * const error = new RedisReplyError("WRONGTYPE Operation against a key holding the wrong kind of value");
 * console.log(error.prefix); // "WRONGTYPE"
 * ```
 */
export class RedisReplyError extends StreamError {
  /** Redis' error kind: the first word of the reply when it is upper case, otherwise `"ERR"`. */
  readonly prefix: string;
  /** The reply's text as the server sent it, without the leading `-` and the CRLF. */
  readonly reply: string;

  /**
   * @param reply The error reply's text, without the leading `-` and the CRLF.
   */
  constructor(reply: string) {
    super("ERR_REDIS_REPLY", `Redis replied with an error: ${reply}`);
    this.reply = reply;
    // Redis' convention: the first word, in capitals, names the kind; a bare message is plain ERR.
    this.prefix = /^[A-Z][A-Z0-9_]*(?= |$)/.exec(reply)?.[0] ?? "ERR";
  }
}
