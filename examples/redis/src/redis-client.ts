import { openConnection } from "@asyncstreams/net";
import type { Streams } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { encodeCommand } from "./encode-command.js";
import { readReply } from "./read-reply.js";
import type { RedisArgument } from "./redis-argument.js";
import { RedisProtocolError } from "./redis-protocol-error.js";
import { RedisReplyError } from "./redis-reply-error.js";
import type { RedisReply } from "./redis-reply.js";

/** Options for {@linkcode RedisClient.connect}. */
export interface RedisClientOptions {
  /** The server's address. Default `"127.0.0.1"`. */
  host?: string | undefined;
  /** The server's port. Default 6379. */
  port?: number | undefined;
  /** Sent with `AUTH` right after connecting, when given. */
  password?: string | undefined;
  /** The database to `SELECT` right after connecting, when not 0. */
  database?: number | undefined;
  /**
   * Aborts the connect and every later read and drain. A reply cut off mid-way cannot be resumed,
   * so an abort closes the connection and fails every command still waiting.
   */
  signal?: AbortSignal | undefined;
}

/** Options for {@linkcode RedisClient.set}. */
export interface RedisSetOptions {
  /** Expire after this many milliseconds (`PX`). */
  expireMs?: number | undefined;
  /** Only set when the key does not exist (`NX`) or only when it does (`XX`). */
  condition?: "NX" | "XX" | undefined;
}

/**
 * A Redis client over one RESP2 connection.
 *
 * Replies come back in the order the commands went out, so the client writes each command at once
 * and queues its read behind the previous one: concurrent calls are pipelined for free, and
 * {@linkcode RedisClient.pipeline} sends a whole batch in one write before reading any reply. An
 * error reply fails only its own command; a broken connection (protocol error, EOF, abort) fails
 * every command and the client stays closed.
 *
 * @example
 * ```ts
 * import { RedisClient } from "./redis-client.js";
 *
 * await using redis = await RedisClient.connect({ host: "127.0.0.1", port: 6379 });
 * await redis.set("greeting", "hello");
 * console.log(await redis.getString("greeting")); // "hello"
 * ```
 */
export class RedisClient implements AsyncDisposable {
  readonly #reader: StreamReader;
  readonly #writer: StreamWriter;
  readonly #readOptions: { signal: AbortSignal } | Record<string, never>;
  /** The read of the last reply queued so far: the next read starts when it settles. */
  #tail: Promise<unknown> = Promise.resolve();
  /** Why the connection is unusable, once it is. */
  #failure: unknown = undefined;

  /**
   * Wraps an already connected reader and writer (for example over an in-memory pair in tests).
   *
   * @param streams The connection's reader and writer.
   * @param options `signal`: aborts every later read and drain.
   */
  constructor(streams: Streams, options: { signal?: AbortSignal | undefined } = {}) {
    this.#reader = streams.reader;
    this.#writer = streams.writer;
    this.#readOptions = options.signal ? { signal: options.signal } : {};
  }

  /**
   * Connects over TCP, then authenticates and selects a database when asked to.
   *
   * @param options Where to connect, credentials, database and the signal that aborts everything.
   * @returns The connected client.
   * @throws `SocketError` when the connection fails; {@linkcode RedisReplyError} when `AUTH` or
   *   `SELECT` is refused (the connection is then closed).
   */
  static async connect(options: RedisClientOptions = {}): Promise<RedisClient> {
    const { host = "127.0.0.1", port = 6379, signal } = options;
    const streams = await openConnection({ host, port, ...(signal ? { signal } : {}) });
    const client = new RedisClient(streams, { signal });
    try {
      if (options.password !== undefined) await client.command("AUTH", options.password);
      if (options.database !== undefined && options.database !== 0) await client.command("SELECT", options.database);
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  /**
   * Sends one command and returns its reply.
   *
   * @param args The command name and its arguments.
   * @returns The reply.
   * @throws {RedisReplyError} When the server answers with an error reply.
   * @throws {RedisProtocolError} When the server's bytes are not RESP2 (the connection is closed).
   * @throws The connection's error when it failed or was closed.
   */
  async command(...args: RedisArgument[]): Promise<RedisReply> {
    const [reply] = await this.#send([encodeCommand(args)]);
    if (reply instanceof RedisReplyError) throw reply;
    return reply ?? null;
  }

  /**
   * Pipelining: sends every command in one write, drains once, then reads one reply per command.
   * Error replies are returned in place as {@linkcode RedisReplyError} values, so one failed
   * command does not hide the others' results.
   *
   * @param commands The commands, each as its name and arguments.
   * @returns The replies, in the order of `commands`.
   * @throws {RedisProtocolError} When the server's bytes are not RESP2 (the connection is closed).
   */
  async pipeline(commands: readonly (readonly RedisArgument[])[]): Promise<RedisReply[]> {
    // Encode everything first, so a bad argument fails before any byte is sent.
    return this.#send(commands.map((args) => encodeCommand(args)));
  }

  /**
   * `GET key`.
   *
   * @param key The key.
   * @returns The value's bytes, or `null` when the key does not exist.
   * @throws {RedisReplyError} `WRONGTYPE` when the key holds a non-string value.
   */
  async get(key: RedisArgument): Promise<Uint8Array | null> {
    const reply = await this.command("GET", key);
    if (reply === null || reply instanceof Uint8Array) return reply;
    throw unexpected("GET", reply);
  }

  /**
   * `GET key`, decoded as UTF-8.
   *
   * @param key The key.
   * @returns The value as text, or `null` when the key does not exist.
   */
  async getString(key: RedisArgument): Promise<string | null> {
    const value = await this.get(key);
    return value === null ? null : new TextDecoder().decode(value);
  }

  /**
   * `SET key value [PX ms] [NX|XX]`.
   *
   * @param key The key.
   * @param value The value: any bytes.
   * @param options An expiry and a condition.
   * @returns `true` when the value was set, `false` when `NX`/`XX` prevented it.
   */
  async set(key: RedisArgument, value: RedisArgument, options: RedisSetOptions = {}): Promise<boolean> {
    const args: RedisArgument[] = ["SET", key, value];
    if (options.expireMs !== undefined) args.push("PX", options.expireMs);
    if (options.condition !== undefined) args.push(options.condition);
    const reply = await this.command(...args);
    if (reply === "OK") return true;
    if (reply === null) return false;
    throw unexpected("SET", reply);
  }

  /**
   * `INCR key`.
   *
   * @param key The key; a missing key counts as 0.
   * @returns The value after the increment.
   * @throws {RedisReplyError} When the value is not an integer.
   * @throws {RangeError} When the result is past `Number.MAX_SAFE_INTEGER` (use `command()` for a bigint).
   */
  async incr(key: RedisArgument): Promise<number> {
    const reply = await this.command("INCR", key);
    if (typeof reply === "number") return reply;
    if (typeof reply === "bigint")
      throw new RangeError(`Cannot return the INCR result: ${reply} is not a safe integer`);
    throw unexpected("INCR", reply);
  }

  /**
   * `DEL key [key ...]`.
   *
   * @param keys The keys.
   * @returns How many keys were removed.
   */
  async del(...keys: RedisArgument[]): Promise<number> {
    const reply = await this.command("DEL", ...keys);
    if (typeof reply === "number") return reply;
    throw unexpected("DEL", reply);
  }

  /** Closes the connection (no `QUIT` round trip needed) and waits until it is closed. Idempotent. */
  async close(): Promise<void> {
    this.#failure ??= new Error("Cannot send a command: the client is closed");
    this.#writer.close();
    await this.#writer.waitClosed().catch(() => undefined); // the server may have closed first
  }

  /** Same as {@linkcode RedisClient.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #send(encoded: readonly Uint8Array[]): Promise<RedisReply[]> {
    if (this.#failure !== undefined) throw this.#failure;
    // Written synchronously, in call order: the order of the replies.
    for (const bytes of encoded) this.#writer.write(bytes);
    const replies = this.#tail.then(() => this.#readReplies(encoded.length));
    this.#tail = replies.catch(() => undefined);
    await this.#writer.drain(this.#readOptions).catch((error: unknown) => this.#fail(error));
    return replies;
  }

  async #readReplies(count: number): Promise<RedisReply[]> {
    if (this.#failure !== undefined) throw this.#failure;
    const replies: RedisReply[] = [];
    try {
      for (let index = 0; index < count; index++) replies.push(await readReply(this.#reader, this.#readOptions));
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    return replies;
  }

  /** After a failed read the next reply's start is unknown: nothing more can be read. */
  #fail(error: unknown): never {
    this.#failure ??= error;
    this.#writer.close();
    throw error;
  }
}

function unexpected(command: string, reply: RedisReply): RedisProtocolError {
  const shown =
    reply instanceof Uint8Array ? `${reply.length} bytes` : Array.isArray(reply) ? "an array" : String(reply);
  return new RedisProtocolError(`Cannot read the ${command} reply: unexpected ${shown}`);
}
