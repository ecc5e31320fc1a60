import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError, createStreams, resolveWriteBufferLimits } from "@asyncstreams/protocol";
import type { Streams, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { toApplicationCode } from "./_application-code.js";
import { checkOptions } from "./_check-options.js";
import { closeError } from "./_close-error.js";
import { guardPair } from "./_guarded-pair.js";
import type { GuardedPair } from "./_guarded-pair.js";
import type { StackCloseInfo, StackConnection, StackStream } from "./_stack.js";
import type { OpenQuicStreamOptions } from "./open-quic-stream-options.js";
import type { QuicCloseInfo } from "./quic-close-info.js";
import { QuicStreamTransport } from "./quic-stream-transport.js";

/** @internal What `openQuicConnection()` and the server give a new connection. */
export interface QuicConnectionInit {
  stack: StackConnection;
  stackName: string;
  limit: number | undefined;
  writeBufferLimits: Partial<WriteBufferLimits> | undefined;
}

const OPEN_STREAM_OPTIONS = ["limit", "unidirectional", "writeBufferLimits"];
const CLOSE_OPTIONS = ["code", "reason"];

/**
 * One QUIC connection: it opens streams and receives the peer's, each a `{ reader, writer }` with
 * asyncio's semantics. Made by `openQuicConnection()` and, on the server, given to
 * `clientConnected` and `onConnection`.
 *
 * - `openStream()` opens a bidirectional stream, or a send-only one with `unidirectional: true`.
 * - `incomingStreams` yields the streams the peer opens, in order; a unidirectional one has a
 *   writer that refuses writes (`TypeError`). Streams nobody takes wait, held by QUIC's stream
 *   credit (`maxStreams`), not by memory.
 * - `close({ code, reason })` sends CONNECTION_CLOSE at once: every stream still open ends, its
 *   pending and later reads and `drain()` reject with a `ConnectionResetError` naming the code.
 *   Data still on its way is lost, even after `await writer.waitClosed()`: that resolves once the
 *   stack has taken the data, not once the peer has it (neither stack reports acknowledgements).
 *   To deliver everything first, let the peer confirm: end your side with `writer.writeEof()` and
 *   wait for its answer or EOF on that stream (`await reader.read()`; it ends its side after
 *   reading yours), or end the stream (`writer.close()`) and wait for the peer to close the
 *   connection (`await conn.closed`); then close.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
 *
 * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
 * await using server = await startQuicServer(
 *   async (reader, writer) => {
 *     const key = new TextDecoder().decode(await reader.read()); // "GET a\n", once the stream's FIN arrives
 *     writer.write(new TextEncoder().encode(key === "GET a\n" ? "1\n" : "?\n"));
 *     writer.close();
 *   },
 *   {
 *     host: "127.0.0.1",
 *     port: 0,
 *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["kv/1"] },
 *   },
 * );
 * const conn = await openQuicConnection({
 *   host: "127.0.0.1",
 *   port: server.addresses()[0]!.port,
 *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["kv/1"] },
 * });
 * const { reader, writer } = await conn.openStream();
 * writer.write(new TextEncoder().encode("GET a\n"));
 * writer.writeEof();
 * console.log(new TextDecoder().decode(await reader.read())); // "1\n"
 * conn.close({ code: 0, reason: "bye" });
 * const { code, reason, remote } = await conn.closed;
 * console.log(code === 0n, reason, remote); // true "bye" false
 * ```
 */
export class QuicConnection implements AsyncDisposable {
  /** Settles once the connection is gone (never rejects): who closed it, with which code. */
  readonly closed: Promise<QuicCloseInfo>;
  readonly #stack: StackConnection;
  readonly #init: QuicConnectionInit;
  readonly #open = new Set<GuardedPair>();
  readonly #incoming: QuicStreamTransport[] = [];
  readonly #waiters: ((transport: QuicStreamTransport | null) => void)[] = [];
  #ended: ConnectionResetError | undefined;

  /**
   * @param init The stack's connection and defaults; use `openQuicConnection()` instead.
   */
  constructor(init: QuicConnectionInit) {
    this.#init = init;
    this.#stack = init.stack;
    this.#stack.onClosing((info) => this.#end(info));
    this.#stack.onStream((stream) => {
      // It throws only if the connection's water marks are bad, which its maker has ruled out;
      // should it throw anyway, the stream is already reset, and the stack's event loop must not see it.
      let transport: QuicStreamTransport;
      try {
        transport = this.#transport(stream, undefined);
      } catch {
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#incoming.push(transport);
      else waiter(transport);
    });
    this.closed = this.#stack.closed.then((info) => {
      this.#end(info);
      return {
        code: info.code,
        reason: info.reason,
        remote: info.remote,
        ...(info.error === undefined ? {} : { error: info.error }),
      };
    });
  }

  /**
   * Opens a stream.
   *
   * @param options The reader's limit, `unidirectional`, water marks.
   * @returns The stream's reader and writer.
   * @throws {TypeError} On an unknown option.
   * @throws {RangeError} When `limit` is not greater than 0, or `writeBufferLimits` is bad (no
   *   stream is opened then).
   * @throws {ConnectionResetError} When the connection has ended.
   * @throws {StreamError} Code `ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT`: the peer allows no more open streams now.
   *
   * Cancel safety: it takes no signal. On Node the stream opens at once (or the call fails with
   * `ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT` when the peer's stream credit is used up); on Deno it waits for credit. An
   * abandoned call still opens its stream, which nobody uses: it stays open, counting against the peer's
   * stream credit, until the connection closes.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     writer.write(await reader.read()); // echoes the stream, once its FIN arrives
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("hello"));
   * writer.writeEof(); // FIN: the server's read() ends
   * console.log(new TextDecoder().decode(await reader.read())); // "hello"
   * ```
   */
  async openStream(options: OpenQuicStreamOptions = {}): Promise<Streams> {
    checkOptions("Cannot open a QUIC stream", options, OPEN_STREAM_OPTIONS);
    const reader = new StreamReader({ limit: options.limit ?? this.#init.limit });
    const transport = await this.openTransport(options);
    return createStreams(transport, { reader });
  }

  /**
   * Opens a stream as a bare transport, for a custom protocol (or the conformance kit).
   *
   * Cancel safety: as `openStream()`'s: it takes no signal, and an abandoned call still opens its
   * stream, which stays open, unused, until the connection closes.
   *
   * @param options `unidirectional` and water marks; `limit` is ignored.
   * @returns A transport with no protocol yet.
   * @throws {TypeError} On an unknown option.
   * @throws {RangeError} When `writeBufferLimits` is bad (no stream is opened then).
   * @throws {ConnectionResetError} When the connection has ended.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { createStreams } from "@asyncstreams/protocol";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     writer.write(await reader.read()); // echoes the stream, once its FIN arrives
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const transport = await conn.openTransport({ writeBufferLimits: { high: 256 * 1024 } });
   * console.log(transport.getWriteBufferLimits()); // { high: 262144, low: 65536 }
   * const { reader, writer } = createStreams(transport); // or give it a Protocol of your own
   * writer.write(new TextEncoder().encode("hello"));
   * writer.writeEof();
   * console.log(new TextDecoder().decode(await reader.read())); // "hello"
   * ```
   */
  async openTransport(options: OpenQuicStreamOptions = {}): Promise<QuicStreamTransport> {
    checkOptions("Cannot open a QUIC stream", options, OPEN_STREAM_OPTIONS);
    if (this.#ended !== undefined) throw this.#ended;
    if (options.unidirectional !== undefined && typeof options.unidirectional !== "boolean") {
      throw new TypeError("Cannot open a QUIC stream: unidirectional must be a boolean");
    }
    // Before the stream exists: one opened and then refused would hold the peer's stream credit.
    if (options.writeBufferLimits !== undefined) resolveWriteBufferLimits(options.writeBufferLimits);
    let stream: StackStream;
    try {
      stream = await this.#stack.openStream(options.unidirectional ?? false);
    } catch (error) {
      if (this.#ended !== undefined) throw this.#ended;
      const detail = error instanceof Error ? error.message : String(error);
      // The peer's stream credit is used up (matrixai refuses at once; Deno waits for credit).
      if (/limit/i.test(detail))
        throw new StreamError(
          "ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT",
          `Cannot open a QUIC stream: the peer's stream limit is reached (${detail})`,
          { cause: error },
        );
      throw new ConnectionResetError(`Cannot open a QUIC stream: ${detail}`, { cause: error });
    }
    return this.#transport(stream, options.writeBufferLimits);
  }

  /**
   * The next stream the peer opened, as a bare transport; `null` once the connection has ended.
   *
   * Cancel safety: it takes no signal, and an abandoned wait still takes the next stream the peer opens:
   * that stream goes to the abandoned promise, not to a later `acceptTransport()` or `incomingStreams`,
   * and stays open, unread, until the connection closes. Keep one consumer of incoming streams.
   *
   * @returns A transport with no protocol yet, or `null`.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { createStreams } from "@asyncstreams/protocol";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(null, {
   *   host: "127.0.0.1",
   *   port: 0,
   *   tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["push"] },
   *   onConnection: async (connection) => {
   *     const { writer } = await connection.openStream({ unidirectional: true }); // the server opens a stream
   *     writer.write(new TextEncoder().encode("server push"));
   *     writer.close();
   *   },
   * });
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["push"] },
   * });
   * const transport = await conn.acceptTransport(); // the next stream the server opens
   * if (transport === null) throw new Error("the connection ended first");
   * const { reader } = createStreams(transport);
   * console.log(new TextDecoder().decode(await reader.read())); // "server push"
   * ```
   */
  acceptTransport(): Promise<QuicStreamTransport | null> {
    const next = this.#incoming.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#ended !== undefined) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * The streams the peer opens, each as `{ reader, writer }`, until the connection ends.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(null, {
   *   host: "127.0.0.1",
   *   port: 0,
   *   tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   onConnection: async (connection) => {
   *     // null above: this connection's streams are taken here, one at a time.
   *     for await (const { reader, writer } of connection.incomingStreams) {
   *       writer.write(await reader.read());
   *       writer.close();
   *     }
   *   },
   * });
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("hello"));
   * writer.writeEof();
   * console.log(new TextDecoder().decode(await reader.read())); // "hello"
   * ```
   */
  get incomingStreams(): AsyncIterable<Streams> {
    return {
      [Symbol.asyncIterator]: async function* (this: QuicConnection): AsyncGenerator<Streams, void, undefined> {
        for (;;) {
          const transport = await this.acceptTransport();
          if (transport === null) return;
          yield createStreams(transport, { limit: this.#init.limit });
        }
      }.bind(this),
    };
  }

  /**
   * Connection details: `peername`, `sockname` (`{ address, family, port }`), `alpnProtocol`,
   * `serverName`, `peercert` (the peer's certificate, DER, where the stack gives it) and
   * `quicStack` (`"@matrixai/quic"` or `"Deno"`).
   *
   * @param name The detail's name.
   * @returns Its value, or `undefined` when unknown.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     writer.write(await reader.read()); // echoes the stream, once its FIN arrives
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * console.log(conn.getExtraInfo("alpnProtocol"), conn.getExtraInfo("serverName")); // "echo" "localhost"
   * console.log(conn.getExtraInfo("peername")); // e.g. { address: "127.0.0.1", family: "IPv4", port: 50321 }
   * console.log(conn.getExtraInfo("quicStack")); // "@matrixai/quic": on Node (on Deno: "Deno")
   * ```
   */
  getExtraInfo(name: string): unknown {
    switch (name) {
      case "peername":
        return this.#stack.remote;
      case "sockname":
        return this.#stack.local;
      case "alpnProtocol":
        return this.#stack.alpnProtocol;
      case "serverName":
        return this.#stack.serverName;
      case "peercert":
        return this.#stack.peerCertificate();
      case "quicStack":
        return this.#init.stackName;
      default:
        return undefined;
    }
  }

  /**
   * Closes the connection with CONNECTION_CLOSE: every open stream ends with a
   * `ConnectionResetError` naming the code. Idempotent; see `closed`.
   *
   * @param options `code`: the application error code (default 0); `reason`: a short phrase.
   * @throws {RangeError} When `code` is not an integer from 0 to 2^62 - 1, or is above 2^53 - 1
   *   (`Number.MAX_SAFE_INTEGER`): both stacks take codes as JS numbers, which would alter it.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader) => {
   *     await reader.read().catch(() => undefined); // a ConnectionResetError: the client closes first
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("unfinished")); // no FIN: the server is still reading
   * conn.close({ code: 0x100, reason: "shutting down" });
   * const error = await reader.read().catch((reason: unknown) => reason);
   * console.log((error as Error).name); // "ConnectionResetError": every open stream ends
   * const info = await conn.closed;
   * console.log(info.code === 0x100n, info.reason, info.remote); // true "shutting down" false
   * ```
   */
  close(options: { code?: number | bigint | undefined; reason?: string | undefined } = {}): void {
    checkOptions("Cannot close the QUIC connection", options, CLOSE_OPTIONS);
    const code = toApplicationCode(options.code ?? 0n, "Cannot close the QUIC connection", this.#codes);
    const reason = options.reason ?? "";
    if (typeof reason !== "string") throw new TypeError("Cannot close the QUIC connection: reason must be a string");
    if (this.#ended !== undefined) return;
    this.#end({ code, reason, remote: false, isApp: true });
    void this.#stack.close(code, reason).catch(() => undefined);
  }

  /**
   * Closes with code 0 and waits for `closed`.
   *
   * Cancel safety: abandoning it changes nothing: the close it started goes on.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.closed;
  }

  /** @returns `<QuicConnection peer>`, with `closed` once ended. */
  toString(): string {
    const peer = this.#stack.remote;
    return `<QuicConnection${peer === undefined ? "" : ` ${peer.address}:${peer.port}`}${this.#ended === undefined ? "" : " closed"}>`;
  }

  /** The stack's limit on codes, for `toApplicationCode()`. */
  get #codes(): { name: string; maxCode: bigint } {
    return { name: this.#init.stackName, maxCode: this.#stack.maxCode };
  }

  #transport(stream: StackStream, writeBufferLimits: Partial<WriteBufferLimits> | undefined): QuicStreamTransport {
    const guarded = guardPair(
      stream.readable,
      stream.writable,
      (error) => this.#stack.toResetError(error),
      () => this.#open.delete(guarded),
    );
    let transport: QuicStreamTransport;
    try {
      transport = new QuicStreamTransport(
        {
          readable: stream.readable === null ? null : guarded.readable,
          writable: stream.writable === null ? null : guarded.writable,
          // abort() has checked the varint range; this is the stack's own, narrower one.
          reset: (code) => stream.reset(toApplicationCode(code, "Cannot reset the QUIC stream", this.#codes)),
        },
        {
          writeBufferLimits: writeBufferLimits ?? this.#init.writeBufferLimits,
          extraInfo: {
            peername: this.#stack.remote,
            sockname: this.#stack.local,
            alpnProtocol: this.#stack.alpnProtocol,
            streamId: stream.id,
            quicConnection: this,
          },
        },
      );
    } catch (error) {
      // Nobody will ever use this stream: let the peer know, and keep nothing of it.
      try {
        stream.reset(0n);
      } catch {
        // Already reset or closed.
      }
      throw error;
    }
    // Tracked only once it exists, so that a failed construction leaves nothing behind.
    if (this.#ended !== undefined) guarded.fail(this.#ended);
    else this.#open.add(guarded);
    return transport;
  }

  #end(info: StackCloseInfo): void {
    if (this.#ended !== undefined) return;
    const error = closeError(info);
    this.#ended = error;
    for (const guarded of this.#open) guarded.fail(error);
    this.#open.clear();
    for (const waiter of this.#waiters.splice(0)) waiter(null);
  }
}
