import type { RedisArgument } from "./redis-argument.js";

const encoder = new TextEncoder();

/**
 * Encodes one command as RESP: an array of bulk strings (`*<n>\r\n` then `$<len>\r\n<bytes>\r\n`
 * for each argument). Every argument goes out length-prefixed, never inline, so any bytes are safe.
 *
 * @param args The command name and its arguments, such as `["SET", "key", value]`.
 * @returns The encoded command, one buffer ready for `writer.write()`.
 * @throws {RangeError} When `args` is empty or a number argument is not finite.
 * @throws {TypeError} When an argument is not a string, number, bigint or `Uint8Array`.
 *
 * @example
 * ```ts
 * import { encodeCommand } from "./encode-command.js";
 *
 * const bytes = encodeCommand(["GET", "greeting"]);
 * console.log(new TextDecoder().decode(bytes)); // "*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n"
 * ```
 */
export function encodeCommand(args: readonly RedisArgument[]): Uint8Array {
  if (args.length === 0) throw new RangeError("Cannot encode a command: it has no arguments");
  const parts = args.map(toBytes);
  const headers = parts.map((part) => encoder.encode(`$${part.length}\r\n`));
  const head = encoder.encode(`*${parts.length}\r\n`);
  const total = parts.reduce((sum, part, index) => sum + (headers[index]?.length ?? 0) + part.length + 2, head.length);

  // One buffer per command: one write, and the writer never holds a reference to the caller's bytes.
  const out = new Uint8Array(total);
  out.set(head, 0);
  let offset = head.length;
  parts.forEach((part, index) => {
    const header = headers[index] ?? new Uint8Array(0);
    out.set(header, offset);
    offset += header.length;
    out.set(part, offset);
    offset += part.length;
    out[offset++] = 13;
    out[offset++] = 10;
  });
  return out;
}

function toBytes(arg: RedisArgument, index: number): Uint8Array {
  if (arg instanceof Uint8Array) return arg;
  if (typeof arg === "string") return encoder.encode(arg);
  if (typeof arg === "bigint") return encoder.encode(arg.toString());
  if (typeof arg === "number") {
    if (!Number.isFinite(arg)) throw new RangeError(`Cannot encode argument ${index}: ${arg} is not a finite number`);
    return encoder.encode(String(arg));
  }
  throw new TypeError(
    `Cannot encode argument ${index}: expected a string, number, bigint or Uint8Array, got ${typeof arg}`,
  );
}
