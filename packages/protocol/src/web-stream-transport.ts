import { NotImplementedError } from "@asyncstreams/buffer";
import { InvalidStateError } from "@asyncstreams/reader";
import { asConnectionReset } from "./_as-connection-reset.js";
import { ConnectionResetError } from "./connection-reset-error.js";
import { deliverEof } from "./deliver-eof.js";
import type { Protocol } from "./protocol.js";
import type { Transport, WriteBufferLimits } from "./transport.js";
import { WriteFlowControl } from "./write-flow-control.js";

const ignore = (): void => undefined;

/**
 * A connection as a pair of Web Streams: what `Deno.connect()`, Cloudflare's `connect()`, Node's
 * `Duplex.toWeb()` and a `WebSocketStream` give, or two `TransformStream`s crossed over.
 *
 * @example
 * ```ts
 * import type { WebStreamPair } from "@asyncstreams/protocol";
 *
 * const there = new TransformStream<Uint8Array, Uint8Array>();
 * const back = new TransformStream<Uint8Array, Uint8Array>();
 * const client: WebStreamPair = { readable: back.readable, writable: there.writable };
 * const server: WebStreamPair = { readable: there.readable, writable: back.writable };
 * ```
 */
export interface WebStreamPair {
  /** The bytes the peer sends. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Where the bytes for the peer go. */
  readonly writable: WritableStream<Uint8Array>;
}

/**
 * Options for {@linkcode WebStreamTransport}.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a Web Streams connection (Deno.connect(), Cloudflare connect())
 * import { WebStreamTransport, type WebStreamTransportOptions } from "@asyncstreams/protocol";
 *
 * declare const conn: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
 * const options: WebStreamTransportOptions = { writeBufferLimits: { high: 256 * 1024 }, halfClose: false };
 * const transport = new WebStreamTransport(conn, options);
 * ```
 */
export interface WebStreamTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /**
   * Whether closing the writable half-closes the connection (the peer reads EOF and may still
   * write back), so that `writeEof()` closes it. Default `true`; set `false` for streams whose
   * `close()` ends the whole connection. `writeEof()` then throws `NotImplementedError`.
   */
  halfClose?: boolean | undefined;
  /**
   * Copy each received chunk before handing it to the protocol. Default `false`: a
   * `ReadableStream` gives up each chunk it delivers, so the reader can own it as it is. Set it
   * for a source that enqueues the same memory again (a scratch buffer it refills).
   */
  copyChunks?: boolean | undefined;
  /** What `getExtraInfo()` returns (for example `{ peername }` from the runtime's socket). */
  extraInfo?: Record<string, unknown> | undefined;
}

/**
 * asyncio's transport over a Web Streams pair, for any runtime: `{ reader, writer }` with
 * asyncio's semantics over `Deno.connect()`, Cloudflare `connect()`, `Duplex.toWeb()` and the like.
 *
 * - Reading pulls: at most one `read()` is in flight, and the next starts only after the protocol
 *   took the chunk. `pauseReading()` starts no new `read()`, so the stream's queue fills and its
 *   source is told to stop (a chunk that the read in flight still brings is held until
 *   `resumeReading()`). Chunks are handed over without a copy (see `copyChunks`).
 * - The end of the readable is `eofReceived()`; unless that returns `true`, the transport closes.
 *   An error of either stream fails the connection with a {@linkcode ConnectionResetError} whose
 *   `cause` is the stream's reason (this project's own errors pass through as they are), so a
 *   `catch` is the same as over TCP.
 * - Writes never block: each goes to the writable's writer at once, and the bytes whose `write()`
 *   has not yet settled count as the write buffer, so `pauseWriting()` comes strictly above the
 *   high-water mark and `resumeWriting()` at or below the low one, whatever the stream's own
 *   queuing strategy counts. The written array is passed on as it is: do not modify it afterwards.
 * - `writeEof()` closes the writable (half-close). `close()` stops reading at once, flushes, calls
 *   `connectionLost(undefined)`, then closes the writable and cancels the readable. `abort()`
 *   aborts the writable and cancels the readable at once; a peer in the same process sees a
 *   {@linkcode ConnectionResetError}.
 *
 * @example
 * ```ts
 * import { WebStreamTransport, createStreams } from "@asyncstreams/protocol";
 *
 * const there = new TransformStream<Uint8Array, Uint8Array>();
 * const back = new TransformStream<Uint8Array, Uint8Array>();
 * const client = createStreams(new WebStreamTransport({ readable: back.readable, writable: there.writable }));
 * const server = createStreams(new WebStreamTransport({ readable: there.readable, writable: back.writable }));
 * client.writer.write(new TextEncoder().encode("ping\n"));
 * console.log(new TextDecoder().decode(await server.reader.readLine())); // "ping\n"
 * ```
 */
export class WebStreamTransport implements Transport {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #extraInfo: Record<string, unknown>;
  readonly #halfClose: boolean;
  readonly #copy: boolean;
  #protocol: Protocol | null = null;
  /** Bytes handed to the writer whose `write()` has not settled: the write buffer. */
  #queued = 0;
  readonly #flow: WriteFlowControl;
  #readingPaused = false;
  #readInFlight = false;
  /** What the read in flight brought while reading was paused. */
  #held: ReadableStreamReadResult<Uint8Array> | null = null;
  #eofReceived = false;
  #closing = false;
  #eofWritten = false;
  #writerClosed: Promise<void> | null = null;
  /** The connection is lost or about to be: writes are dropped (asyncio's `_conn_lost > 0`). */
  #lost = false;
  #lostCalled = false;

  /**
   * Locks both streams (`getReader()`, `getWriter()`) for the life of the transport. Reading
   * starts when a protocol is set.
   *
   * @param pair The readable and the writable of one connection.
   * @param options Water marks, half-close, copying and extra info.
   * @throws {TypeError} When either stream is already locked.
   */
  constructor(pair: WebStreamPair, options: WebStreamTransportOptions = {}) {
    this.#reader = pair.readable.getReader();
    try {
      this.#writer = pair.writable.getWriter();
    } catch (error) {
      this.#reader.releaseLock();
      throw error;
    }
    this.#extraInfo = { ...options.extraInfo };
    this.#halfClose = options.halfClose ?? true;
    this.#copy = options.copyChunks ?? false;
    this.#flow = new WriteFlowControl({ size: () => this.#queued, protocol: () => this.#protocol, limits: options.writeBufferLimits });
    this.#writer.closed.catch(ignore);
    this.#reader.closed.catch(ignore);
  }

  /** @inheritDoc */
  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
    this.#pull(); // the first chunk arrives asynchronously, after connectionMade()
  }

  /** @inheritDoc */
  getProtocol(): Protocol | null {
    return this.#protocol;
  }

  /** @inheritDoc */
  getExtraInfo(name: string): unknown {
    return this.#extraInfo[name];
  }

  /** @inheritDoc */
  isClosing(): boolean {
    return this.#closing;
  }

  /** @inheritDoc */
  isReading(): boolean {
    return !this.#readingPaused && !this.#closing;
  }

  /** @inheritDoc */
  pauseReading(): void {
    if (this.#closing || this.#readingPaused) return;
    this.#readingPaused = true;
  }

  /** @inheritDoc */
  resumeReading(): void {
    if (this.#closing || !this.#readingPaused) return;
    this.#readingPaused = false;
    // Never synchronously: the reader calls this from inside a read.
    queueMicrotask(() => {
      if (this.#readingPaused || this.#closing) return;
      const held = this.#held;
      this.#held = null;
      if (held === null) this.#pull();
      else this.#deliver(held);
    });
  }

  /** @inheritDoc */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError("Cannot write: data must be a Uint8Array");
    if (this.#eofWritten) throw new InvalidStateError("Cannot write: writeEof() was already called");
    if (data.length === 0 || this.#lost) return; // asyncio drops writes once the connection is lost
    const size = data.length;
    this.#queued += size;
    this.#writer.write(data).then(
      () => this.#written(size),
      (error: unknown) => this.#writeFailed(size, error),
    );
    this.#flow.maybePause();
  }

  /** @inheritDoc */
  writeLines(chunks: Iterable<Uint8Array>): void {
    const list = Array.from(chunks);
    // All checked before any is queued: asyncio's writelines() is all or nothing.
    if (!list.every((chunk) => chunk instanceof Uint8Array)) throw new TypeError("Cannot write lines: each chunk must be a Uint8Array");
    for (const chunk of list) this.write(chunk);
  }

  /**
   * Closes the writable once the data written so far is flushed: the peer reads EOF and may still
   * write back. A no-op when closing or already called.
   *
   * @throws {NotImplementedError} When made with `halfClose: false`.
   *
   * @example
   * ```ts
   * import { WebStreamTransport, createStreams } from "@asyncstreams/protocol";
   *
   * const there = new TransformStream<Uint8Array, Uint8Array>();
   * const back = new TransformStream<Uint8Array, Uint8Array>();
   * const transport = new WebStreamTransport({ readable: back.readable, writable: there.writable });
   * const client = createStreams(transport);
   * const server = createStreams(new WebStreamTransport({ readable: there.readable, writable: back.writable }));
   * client.writer.write(new TextEncoder().encode("all of it"));
   * transport.writeEof(); // closes `there.writable`: the server reads EOF, and may still answer
   * console.log(new TextDecoder().decode(await server.reader.read())); // "all of it"
   * server.writer.write(new TextEncoder().encode("got it"));
   * server.writer.close();
   * console.log(new TextDecoder().decode(await client.reader.read())); // "got it"
   * ```
   */
  writeEof(): void {
    if (!this.#halfClose) throw new NotImplementedError("writeEof (this WebStreamTransport was made with halfClose: false)");
    if (this.#closing || this.#eofWritten) return;
    this.#eofWritten = true;
    void this.#closeWriter(); // never rejects: a failure to flush fails the connection instead
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return this.#halfClose;
  }

  /** @inheritDoc */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#held = null; // asyncio stops reading at once
    if (this.#queued === 0) this.#finishClose();
    // Otherwise #written() finishes once the last write settles.
  }

  /** @inheritDoc */
  abort(): void {
    if (this.#lost) return;
    this.#markLost();
    this.#release(new ConnectionResetError(), true);
    queueMicrotask(() => this.#connectionLost(undefined));
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    return this.#queued;
  }

  /** @inheritDoc */
  getWriteBufferLimits(): WriteBufferLimits {
    return this.#flow.getLimits();
  }

  /** @inheritDoc */
  setWriteBufferLimits(limits?: Partial<WriteBufferLimits>): void {
    this.#flow.setLimits(limits);
  }

  /** @returns `<WebStreamTransport>`, with `closing` once closing. */
  toString(): string {
    return `<WebStreamTransport${this.#closing ? " closing" : ""}>`;
  }

  /** Starts the next `read()` unless one is in flight or delivery is stopped. */
  #pull(): void {
    if (this.#readInFlight || this.#readingPaused || this.#closing || this.#eofReceived || this.#protocol === null) return;
    this.#readInFlight = true;
    this.#reader.read().then(this.#onRead, this.#onReadError);
  }

  readonly #onRead = (result: ReadableStreamReadResult<Uint8Array>): void => {
    this.#readInFlight = false;
    if (this.#closing) return;
    if (this.#readingPaused) this.#held = result;
    else this.#deliver(result);
  };

  readonly #onReadError = (error: unknown): void => {
    this.#readInFlight = false;
    if (this.#closing) return; // close() stopped reading; a lost connection has said it all
    this.#fatal(asConnectionReset(error));
  };

  #deliver(result: ReadableStreamReadResult<Uint8Array>): void {
    if (result.done) {
      this.#onEof();
      return;
    }
    const value: unknown = result.value;
    if (!(value instanceof Uint8Array)) {
      this.#fatal(new TypeError(`Cannot receive: a chunk must be a Uint8Array, not ${typeof value}`));
      return;
    }
    // A plain view of a subclass (a Node Buffer, whose slice() would not copy), or a copy if asked.
    const plain = value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const chunk = this.#copy ? plain.slice() : plain;
    if (chunk.length > 0) {
      try {
        this.#protocol!.dataReceived(chunk);
      } catch (error) {
        this.#fatal(error); // asyncio's _fatal_error: the protocol's own exception ends the connection
        return;
      }
    }
    this.#pull();
  }

  #onEof(): void {
    this.#eofReceived = true;
    deliverEof(this.#protocol, { close: () => this.close(), fail: (error) => this.#fatal(error) });
  }

  #written(size: number): void {
    this.#queued -= size;
    if (this.#lost) return;
    this.#flow.maybeResume();
    if (this.#closing && this.#queued === 0) this.#finishClose();
  }

  #writeFailed(size: number, error: unknown): void {
    this.#queued -= size;
    this.#fatal(asConnectionReset(error));
  }

  /** Closes the writable once; a failure to flush fails the connection. */
  #closeWriter(): Promise<void> {
    this.#writerClosed ??= this.#writer.close().then(ignore, (error: unknown) => this.#fatal(asConnectionReset(error)));
    return this.#writerClosed;
  }

  /** `close()` with nothing left to flush: the connection is lost, then the streams are released. */
  #finishClose(): void {
    this.#lost = true;
    queueMicrotask(() => this.#connectionLost(undefined));
    this.#release(new ConnectionResetError(), false);
  }

  /**
   * Lets go of both streams: the writable is closed after its queue (or aborted), then the readable
   * is cancelled with `reason`, which a peer in the same process sees when it writes.
   */
  #release(reason: unknown, abort: boolean): void {
    const cancel = (): void => void this.#reader.cancel(reason).catch(ignore);
    if (abort) {
      this.#writer.abort(reason).catch(ignore);
      cancel();
    } else {
      this.#closeWriter().then(cancel, cancel);
    }
  }

  /** The connection failed: release both streams, then `connectionLost(error)`. */
  #fatal(error: unknown): void {
    if (this.#lost) return;
    this.#markLost();
    this.#release(new ConnectionResetError(undefined, { cause: error }), true);
    queueMicrotask(() => this.#connectionLost(error));
  }

  /** From now on nothing is read or written: asyncio's `_closing` and `_conn_lost > 0`. */
  #markLost(): void {
    this.#closing = true;
    this.#lost = true;
    this.#held = null;
    this.#flow.stop();
  }

  #connectionLost(error: unknown): void {
    if (this.#lostCalled) return;
    this.#lostCalled = true;
    this.#protocol?.connectionLost(error);
  }
}
