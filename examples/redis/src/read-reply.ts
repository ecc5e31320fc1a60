import type { ReadOptions, StreamReader } from "@asyncstreams/reader";
import { RedisProtocolError } from "./redis-protocol-error.js";
import { RedisReplyError } from "./redis-reply-error.js";
import type { RedisReply } from "./redis-reply.js";

const CRLF = new Uint8Array([13, 10]);
// Status and error lines are text; a stray invalid byte should not make the reply unreadable.
const decoder = new TextDecoder("utf-8");
/** Redis' own ceiling for a bulk string (`proto-max-bulk-len`, 512 MiB). */
const MAX_BULK_LENGTH = 512 * 1024 * 1024;
/** Deep enough for any real reply; a hostile server cannot blow the stack. */
const MAX_DEPTH = 64;

/**
 * Reads exactly one RESP2 reply from `reader`, arrays and their nested replies included.
 *
 * Type lines are read with `readUntil("\r\n")`, so a line longer than the reader's limit throws
 * `LimitOverrunError` instead of buffering without bound; bulk strings are read with
 * `readExactly(length + 2)`, which the limit does not bound (a 1 MiB value needs no bigger limit).
 * An error reply is returned as a {@linkcode RedisReplyError} value, not thrown: inside an array
 * it is one element among others.
 *
 * @param reader The connection's reader, positioned at the start of a reply.
 * @param options `signal` aborts the read. An abort mid-reply leaves the reader in the middle of it:
 *   the caller must then close the connection, as {@linkcode RedisClient} does.
 * @returns The reply.
 * @throws {RedisProtocolError} When the bytes are not RESP2.
 * @throws `IncompleteReadError` when the connection ends inside a reply (or before one starts), and
 *   `LimitOverrunError` for an over-long type line; `signal.reason` when the signal aborts.
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 * import { readReply } from "./read-reply.js";
 *
 * const reader = new StreamReader();
 * reader.feedData(new TextEncoder().encode("*2\r\n$5\r\nhello\r\n:42\r\n"));
 * console.log(await readReply(reader)); // [Uint8Array(5) "hello", 42]
 * ```
 */
export async function readReply(reader: StreamReader, options: ReadOptions = {}): Promise<RedisReply> {
  return readAt(reader, options, 0);
}

async function readAt(reader: StreamReader, options: ReadOptions, depth: number): Promise<RedisReply> {
  const line = await reader.readUntil(CRLF, options);
  const type = line[0];
  const text = decoder.decode(line.subarray(1, line.length - 2));
  switch (type) {
    case 0x2b: // "+"
      return text;
    case 0x2d: // "-"
      return new RedisReplyError(text);
    case 0x3a: // ":"
      return parseInteger(text);
    case 0x24: {
      // "$"
      const length = parseLength(text, "a bulk string", MAX_BULK_LENGTH);
      if (length === -1) return null;
      const body = await reader.readExactly(length + 2, options);
      if (body[length] !== 13 || body[length + 1] !== 10) {
        throw new RedisProtocolError(`Cannot parse a bulk string: no CRLF after its ${length} bytes`);
      }
      return body.subarray(0, length);
    }
    case 0x2a: {
      // "*"
      const count = parseLength(text, "an array", Number.MAX_SAFE_INTEGER);
      if (count === -1) return null;
      if (depth >= MAX_DEPTH)
        throw new RedisProtocolError(`Cannot parse an array: nested deeper than ${MAX_DEPTH} levels`);
      const items: RedisReply[] = [];
      // Elements arrive one after another; no preallocation from an untrusted count.
      for (let index = 0; index < count; index++) items.push(await readAt(reader, options, depth + 1));
      return items;
    }
    default:
      throw new RedisProtocolError(
        `Cannot parse a reply: unknown type byte ${JSON.stringify(String.fromCharCode(type ?? 0))}`,
      );
  }
}

function parseInteger(text: string): number | bigint {
  if (!/^-?\d+$/.test(text)) throw new RedisProtocolError(`Cannot parse an integer reply: ${JSON.stringify(text)}`);
  const value = Number(text);
  // Redis integers are signed 64-bit; past 2^53 a number would silently round.
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

/** `what` carries its article ("a bulk string", "an array") so the message reads as a sentence. */
function parseLength(text: string, what: string, max: number): number {
  if (!/^(-1|\d+)$/.test(text)) throw new RedisProtocolError(`Cannot parse ${what} length: ${JSON.stringify(text)}`);
  const length = Number(text);
  if (length > max) throw new RedisProtocolError(`Cannot parse ${what} length: ${text} is over ${max}`);
  return length;
}
