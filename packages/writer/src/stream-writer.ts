// The public types name Disposable / Symbol.dispose: this directive, kept in the emitted .d.ts,
// brings TypeScript's declarations of them to every consumer, whatever its `lib` (ES2022 + DOM is enough).
/// <reference lib="esnext.disposable" preserve="true" />
import type { ExtraInfo } from "./extra-info.js";
import type { StartTlsOptions } from "./start-tls-options.js";
import type { WriterProtocol } from "./writer-protocol.js";
import type { WriterTransport } from "./writer-transport.js";
import { unclosedWriters } from "./_unclosed-writers.js";
import { ConnectionLostError } from "./connection-lost-error.js";
import { checkDrainOptions } from "./_check-drain-options.js";
import { checkWriterArgs } from "./_check-writer-args.js";

/** asyncio's extra-info names that this port spells in camelCase. */
const ASYNCIO_NAMES: Readonly<Record<string, string>> = { ssl_object: "sslObject" };

const CLOSED_HERE =
  "Cannot drain: this writer was closed by this side with close(), and what was written after it was dropped; call drain() before close(), then waitClosed()";

/** What a writer uses of its connection's reader. */
interface WriterReader {
  exception(): unknown;
  takeBuffered?(): Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Options for {@linkcode StreamWriter}.
 */
export interface StreamWriterOptions {
  /** The protocol driving the transport: flow control for `drain()` and the close waiter. */
  protocol: WriterProtocol;
  /**
   * The reader of the same connection, if any: `drain()` re-throws its stored exception, so a
   * connection reset surfaces as the same error object on reads and on `drain()`; `startTls()`
   * hands its unread bytes (`takeBuffered()`) to the TLS layer.
   */
  reader?: WriterReader | null | undefined;
}

/**
 * asyncio's `StreamWriter`: writes go straight to the transport's buffer without blocking;
 * `await drain()` waits while that buffer is above its high-water mark; `close()` then
 * `await waitClosed()` ends the connection.
 *
 * Usually made for you, by `openConnection()`, a server's client callback, or `createStreams()`.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
 *
 * const [left, right] = memoryTransportPair();
 * const client = createStreams(left);
 * const server = createStreams(right);
 * client.writer.write(new TextEncoder().encode("hello\n"));
 * await client.writer.drain();
 * console.log(new TextDecoder().decode(await server.reader.readLine())); // "hello\n"
 * client.writer.close();
 * await client.writer.waitClosed();
 * ```
 */
export class StreamWriter implements AsyncDisposable {
  #transport: WriterTransport;
  readonly #protocol: WriterProtocol;
  readonly #reader: WriterReader | null;
  /** Bytes accepted by `write()` and `writeLines()`: the one add the write path pays for metrics. */
  #written = 0;
  /** `close()` was called on this writer: a later drain()'s "connection lost" is our own doing. */
  #closedHere = false;

  /**
   * @param transport The transport to write to.
   * @param options `protocol` (required) and `reader`.
   * @throws {TypeError} When `transport` lacks a transport's methods, `protocol` lacks
   *   `drainHelper()` or `closeWaiter()`, or an option name is unknown.
   */
  constructor(transport: WriterTransport, options: StreamWriterOptions) {
    checkWriterArgs(transport, options);
    this.#transport = transport;
    this.#protocol = options.protocol;
    this.#reader = options.reader ?? null;
    unclosedWriters.register(this, transport, this);
  }

  /** The transport written to: after `startTls()`, the TLS transport. */
  get transport(): WriterTransport {
    return this.#transport;
  }

  /**
   * Bytes accepted by `write()` and `writeLines()` since the writer was made: the counterpart of
   * the reader's `bytesReceived`. Bytes the transport drops after the connection is lost count too
   * (asyncio drops them silently); `bytesWritten - bufferedLength` is what has left the buffer.
   */
  get bytesWritten(): number {
    return this.#written;
  }

  /**
   * Bytes written and still waiting in the transport's buffer (asyncio's
   * `transport.get_write_buffer_size()`): 0 once the connection is lost, and 0 when the transport
   * does not report it. `drain()` waits while this is above the high-water mark.
   */
  get bufferedLength(): number {
    return this.#transport.getWriteBufferSize?.() ?? 0;
  }

  /**
   * Whether the transport has paused this writer: its buffer rose above the high-water mark and has
   * not yet fallen to the low-water mark, so `drain()` would wait. The counterpart of the reader's
   * `isPausing` (the reader pauses its transport; here the transport pauses the writer). `false`
   * when the protocol does not report it (see `WriterProtocol.isWritingPaused`).
   */
  get isPaused(): boolean {
    return this.#protocol.isWritingPaused?.() ?? false;
  }

  /**
   * Queues `data` on the transport. Never blocks; pair with `await drain()` to respect
   * back-pressure. Empty data is ignored; data written after the connection is lost is dropped,
   * as asyncio drops it (the next `drain()` reports the loss).
   *
   * @param data The bytes to send. Like Node's `socket.write()`, a transport may keep a reference
   *   to `data` until it is sent: do not modify it afterwards (write a copy of a scratch array).
   * @throws {TypeError} When `data` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const client = createStreams(left);
   * const server = createStreams(right);
   * client.writer.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
   * console.log(client.writer.bytesWritten); // 18
   * await client.writer.drain(); // back-pressure: waits only while the buffer is above its high-water mark
   * console.log(new TextDecoder().decode(await server.reader.readLine())); // "GET / HTTP/1.0\r\n"
   * ```
   */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array))
      throw new TypeError(`Cannot write: data must be a Uint8Array, not ${describe(data)}`);
    this.#transport.write(data);
    this.#written += data.length; // after the transport took it: a write it refused is not counted
  }

  /**
   * Queues several chunks, as one `write()` of their concatenation (transports may send them with
   * one gathering write).
   *
   * @param chunks The chunks to send.
   * @throws {TypeError} When a chunk is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const client = createStreams(left);
   * const server = createStreams(right);
   * client.writer.writeLines([new TextEncoder().encode("HELO a\r\n"), new TextEncoder().encode("QUIT\r\n")]);
   * console.log(client.writer.bytesWritten); // 14
   * client.writer.close();
   * console.log(new TextDecoder().decode(await server.reader.read())); // "HELO a\r\nQUIT\r\n"
   * ```
   */
  writeLines(chunks: Iterable<Uint8Array>): void {
    // Checked here, as write() is, and all before any is queued: asyncio's writelines() is all or nothing.
    const list = Array.from(chunks);
    let length = 0;
    for (const chunk of list) {
      if (!(chunk instanceof Uint8Array))
        throw new TypeError(`Cannot write lines: each chunk must be a Uint8Array, not ${describe(chunk)}`);
      length += chunk.length;
    }
    this.#transport.writeLines(list);
    this.#written += length;
  }

  /**
   * Closes the write side after buffered data is flushed (TCP half-close); reading goes on.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const client = createStreams(left);
   * const server = createStreams(right);
   * client.writer.write(new TextEncoder().encode("request body"));
   * client.writer.writeEof(); // the server reads to EOF, and can still answer
   * const request = await server.reader.read();
   * server.writer.write(new TextEncoder().encode(`got ${request.length} bytes`));
   * server.writer.close();
   * console.log(new TextDecoder().decode(await client.reader.read())); // "got 12 bytes"
   * ```
   */
  writeEof(): void {
    this.#transport.writeEof();
  }

  /**
   * Tells whether the transport supports `writeEof()`: `true` for TCP and Unix sockets.
   *
   * @returns Whether half-close is available.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const client = createStreams(left);
   * const server = createStreams(right);
   * console.log(client.writer.canWriteEof()); // true
   * // Half-close where the transport can, so the peer may still answer; else close.
   * if (client.writer.canWriteEof()) client.writer.writeEof();
   * else client.writer.close();
   * console.log(await server.reader.read()); // Uint8Array []: EOF
   * ```
   */
  canWriteEof(): boolean {
    return this.#transport.canWriteEof();
  }

  /**
   * Closes the connection once buffered data is flushed. Idempotent; see `waitClosed()`.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const client = createStreams(left);
   * const server = createStreams(right);
   * client.writer.write(new TextEncoder().encode("bye\n"));
   * client.writer.close(); // the buffered "bye\n" is still sent
   * await client.writer.waitClosed();
   * console.log(new TextDecoder().decode(await server.reader.read())); // "bye\n"
   * ```
   */
  close(): void {
    unclosedWriters.unregister(this);
    this.#closedHere = true;
    this.#transport.close();
  }

  /**
   * Tells whether the transport is closing or closed.
   *
   * @returns `true` after `close()`, an abort, or a fatal error.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const { writer } = createStreams(left);
   * createStreams(right);
   * console.log(writer.isClosing()); // false
   * writer.close();
   * console.log(writer.isClosing()); // true
   * await writer.waitClosed();
   * ```
   */
  isClosing(): boolean {
    return this.#transport.isClosing();
  }

  /**
   * Waits until the connection is lost. Resolves after a clean close and rejects with the error
   * the connection was lost with; may be awaited any number of times, before or after `close()`,
   * and never causes an unhandled rejection when nobody awaits it.
   *
   * Cancel safety: it takes no signal and only observes: giving up on the promise (racing it with a
   * timeout) changes nothing about the connection.
   *
   * @returns The protocol's close waiter.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const { writer } = createStreams(left);
   * createStreams(right);
   * right.abort(); // the peer resets the connection
   * const error = await writer.waitClosed().catch((reason: unknown) => reason);
   * console.log((error as Error).name); // "ConnectionResetError"
   * ```
   */
  waitClosed(): Promise<void> {
    return this.#protocol.closeWaiter();
  }

  /**
   * Returns information about the transport: `peername`, `sockname`, `socket`, `peercert`,
   * `cipher`, ... (see {@linkcode ExtraInfo}), or `defaultValue` when the transport has none, as
   * asyncio's `get_extra_info(name, default=None)`. asyncio's spelling `ssl_object` is accepted
   * for `sslObject`.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left] = memoryTransportPair();
   * const { writer } = createStreams(left);
   * console.log(writer.getExtraInfo("peername")); // "memory:right"
   * console.log(writer.getExtraInfo("cipher", null)); // null: not a TLS connection
   * ```
   *
   * @param name The key to look up.
   * @param defaultValue What to return when the transport has no value for `name`.
   * @returns The value, or `defaultValue` (`undefined` when not given).
   */
  getExtraInfo<K extends keyof ExtraInfo & string>(name: K): ExtraInfo[K] | undefined;
  getExtraInfo<K extends keyof ExtraInfo & string, D>(name: K, defaultValue: D): ExtraInfo[K] | D;
  getExtraInfo(name: string, defaultValue?: unknown): unknown {
    if (typeof name !== "string")
      throw new TypeError(`Cannot get extra info: name should be a string, got ${typeof name}`);
    return this.#transport.getExtraInfo(ASYNCIO_NAMES[name] ?? name) ?? defaultValue;
  }

  /**
   * Waits until it is appropriate to write again: at once unless the transport's buffer is above
   * its high-water mark, then until it falls to the low-water mark. Many callers may wait at once
   * and all wake together.
   *
   * Cancel safety: aborting is harmless: it ends this wait only (rejecting with `signal.reason`); the
   * written bytes stay in the transport's buffer and are still sent, and other `drain()` callers keep
   * waiting.
   *
   * @example
   * ```ts
   * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 1024 } });
   * const client = createStreams(left);
   * const server = createStreams(right);
   * client.writer.write(new Uint8Array(4096)); // above the high-water mark
   * const drained = client.writer.drain({ signal: AbortSignal.timeout(5_000) });
   * console.log((await server.reader.readExactly(4096)).length); // 4096
   * await drained; // the peer read everything: the buffer is below the low-water mark again
   * ```
   *
   * @param options `signal` aborts this wait only (it rejects with `signal.reason`).
   * @throws The reader's stored exception (the same object every time) once the connection failed.
   * @throws {ConnectionLostError} When the connection was closed (after one turn of the event loop,
   *   so that a pending connection loss is seen). When this side called `close()`, the message
   *   says so (asyncio's "Connection lost" is kept as its `cause`).
   * @throws {TypeError} On an option other than `signal`, or a `signal` that is not an `AbortSignal`.
   */
  drain(options?: { signal?: AbortSignal | undefined }): Promise<void> {
    // Fast path, no async frame: nothing to report and nothing to wait for but the protocol.
    if (options === undefined && !this.#transport.isClosing() && this.#reader?.exception() === undefined) {
      return this.#protocol.drainHelper();
    }
    return this.#drainSlow(options);
  }

  async #drainSlow(options: { signal?: AbortSignal | undefined } | undefined): Promise<void> {
    const signal = checkDrainOptions(options);
    if (signal?.aborted === true) throw signal.reason;
    const error = this.#reader?.exception();
    if (error !== undefined) throw error;
    // asyncio's sleep(0) (bpo-25441): let a scheduled connection loss run, so that a
    // `write(); await drain()` loop against a closed connection ends with an error.
    if (this.#transport.isClosing()) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Deliberate difference: asyncio would say 'Connection lost' here and the real error only on
      // the next drain(); we surface the error the connection was lost with at once.
      const lostWith = this.#reader?.exception();
      if (lostWith !== undefined) throw lostWith;
    }
    try {
      await this.#protocol.drainHelper(signal);
    } catch (error) {
      // asyncio says only 'Connection lost', which reads as the peer's doing when it was ours.
      if (this.#closedHere && error instanceof ConnectionLostError)
        throw new ConnectionLostError(CLOSED_HERE, { cause: error });
      throw error;
    }
  }

  /**
   * Upgrades the connection to TLS in place (STARTTLS): drains, hands the transport's buffered
   * bytes to TLS, and keeps this writer and its reader working over the TLS transport. Whether this
   * is the client or the server side follows from how the connection was made.
   *
   * Cancel safety: aborting `signal` closes the connection: a half-done handshake cannot be undone, so
   * the socket is destroyed, reads fail with `signal.reason`, and this writer cannot write again; an
   * already aborted signal does the same. The signal is not watched while the first `drain()` waits (that
   * wait ends when the peer reads or the connection is lost).
   *
   * @example
   * ```ts
   * // @example-no-run: needs a STARTTLS peer on 127.0.0.1:8025 and the CA certificate that signed its certificate
   * import { openConnection } from "@asyncstreams/net";
   *
   * declare const ca: string; // the PEM of the CA that signed the server's certificate
   *
   * const { reader, writer } = await openConnection({ host: "127.0.0.1", port: 8025 });
   * await reader.readLine(); // "220 mail.example.com ESMTP"
   * writer.write(new TextEncoder().encode("STARTTLS\r\n"));
   * await reader.readLine(); // "220 Ready to start TLS"
   * await writer.startTls({ ca, serverName: "mail.example.com", signal: AbortSignal.timeout(10_000) });
   * console.log(writer.getExtraInfo("protocol")); // e.g. "TLSv1.3"
   * ```
   *
   * @param options TLS settings, `handshakeTimeout`, `shutdownTimeout` and `signal`.
   * @throws {TypeError} When the transport cannot upgrade (it has no `startTls`).
   */
  async startTls(options: StartTlsOptions): Promise<void> {
    const transport = this.#transport;
    if (typeof transport.startTls !== "function") {
      throw new TypeError(`Cannot start TLS: transport ${formatObject(transport)} is not supported by startTls()`);
    }
    await this.drain();
    const reader = this.#reader;
    const upgraded = await transport.startTls(options, () => reader?.takeBuffered?.() ?? EMPTY);
    this.#transport = upgraded;
    if (unclosedWriters.unregister(this)) unclosedWriters.register(this, upgraded, this);
    this.#protocol.replaceTransport?.(upgraded);
  }

  /**
   * `close()` then `waitClosed()`, for `await using`. An error the connection was lost with is not
   * re-thrown here: reads and `drain()` have already reported it.
   *
   * Cancel safety: it takes no signal; once called, the connection closes whether or not the promise is
   * awaited.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed().catch(() => undefined);
  }

  /**
   * asyncio's `repr()`: `<StreamWriter transport=... reader=...>`.
   *
   * @returns A short description.
   */
  toString(): string {
    const parts = ["StreamWriter", `transport=${formatObject(this.#transport)}`];
    if (this.#reader !== null) parts.push(`reader=${formatObject(this.#reader)}`);
    return `<${parts.join(" ")}>`;
  }
}

/** Names a value's type for an error message, as Python's `type(x).__name__`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  return typeof value;
}

/** Formats any value for a description: its own `toString()` if it has one. */
function formatObject(value: unknown): string {
  return String(value);
}
