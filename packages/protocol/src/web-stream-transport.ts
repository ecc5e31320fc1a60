import { NotImplementedError } from "@asyncstreams/buffer";
import { asConnectionReset } from "./_as-connection-reset.js";
import { checkWebStreamArguments } from "./_check-web-stream-options.js";
import { ConnectionResetError } from "./connection-reset-error.js";
import { deliverEof } from "./deliver-eof.js";
import type { Protocol } from "./protocol.js";
import type { WriteBufferLimits } from "./transport.js";
import { TransportBase } from "./transport-base.js";

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
 * - The end of the readable is `eofReceived()`; unless that returns `true` (and the transport
 *   was made with `halfClose`, the default), the transport closes.
 *   An error of either stream fails the connection with a {@linkcode ConnectionResetError} whose
 *   `cause` is the stream's reason (this project's own errors pass through as they are), so a
 *   `catch` is the same as over TCP. The readable's error reaches a paused reader after the data it
 *   holds (unless a failed write ends the connection first), but `drain()` rejects with that same
 *   error at once (through the protocol's `FlowControl.failWriting()`, so `createStreams()` gets it
 *   too).
 * - Writes never block: each goes to the writable's writer at once, and the bytes whose `write()`
 *   has not yet settled count as the write buffer, so `pauseWriting()` comes strictly above the
 *   high-water mark and `resumeWriting()` at or below the low one, whatever the stream's own
 *   queuing strategy counts. Once the connection is lost the write buffer is 0, as asyncio's
 *   `_force_close()` clears it, even while a sink's `write()` never settles. The written array is
 *   passed on as it is: do not modify it afterwards.
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
export class WebStreamTransport extends TransportBase {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #halfClose: boolean;
  readonly #copy: boolean;
  /** Bytes handed to the writer whose `write()` has not settled: the write buffer (0 once lost). */
  #queued = 0;
  #readInFlight = false;
  /** What the read in flight brought while reading was paused. */
  #held: ReadableStreamReadResult<Uint8Array> | null = null;
  #eofReceived = false;
  #writerClosed: Promise<void> | null = null;

  /**
   * Locks both streams (`getReader()`, `getWriter()`) for the life of the transport. Reading
   * starts when a protocol is set.
   *
   * @param pair The readable and the writable of one connection.
   * @param options Water marks, half-close, copying and extra info.
   * @throws {TypeError} When `pair` is not a readable and a writable Web stream, on an unknown option
   *   or one of the wrong type (all checked before anything is locked), or when either stream is
   *   already locked.
   * @throws {RangeError} When the water marks are out of order (see `resolveWriteBufferLimits()`).
   */
  constructor(pair: WebStreamPair, options: WebStreamTransportOptions = {}) {
    checkWebStreamArguments("Cannot make a WebStreamTransport", pair, options);
    super({ extraInfo: { ...options.extraInfo }, writeBufferLimits: options.writeBufferLimits });
    this.#reader = pair.readable.getReader();
    try {
      this.#writer = pair.writable.getWriter();
    } catch (error) {
      this.#reader.releaseLock();
      throw error;
    }
    this.#halfClose = options.halfClose ?? true;
    this.#copy = options.copyChunks ?? false;
    this.#writer.closed.catch(ignore);
    this.#reader.closed.catch(this.#onReadableError);
  }

  /** @inheritDoc */
  override setProtocol(protocol: Protocol): void {
    super.setProtocol(protocol);
    this.#pull(); // the first chunk arrives asynchronously, after connectionMade()
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
  override writeEof(): void {
    if (!this.#halfClose)
      throw new NotImplementedError("writeEof (this WebStreamTransport was made with halfClose: false)");
    super.writeEof();
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return this.#halfClose;
  }

  /** @inheritDoc */
  abort(): void {
    this.forceClose(undefined);
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    return this.#queued;
  }

  /** @returns `<WebStreamTransport>`, with `closing` once closing. */
  override toString(): string {
    return `<WebStreamTransport${this.closing ? " closing" : ""}>`;
  }

  protected writeData(data: Uint8Array): void {
    const size = data.length;
    this.#queued += size;
    this.#writer.write(data).then(
      () => this.#written(size),
      (error: unknown) => this.#writeFailed(size, error),
    );
    this.maybePauseWriting();
  }

  protected endWriting(): void {
    void this.#closeWriter(); // never rejects: a failure to flush fails the connection instead
  }

  protected startClose(): void {
    this.#held = null; // asyncio stops reading at once
    if (this.#queued === 0) this.#finishClose();
    // Otherwise #written() finishes once the last write settles.
  }

  protected pauseSource(): void {} // #pull() starts no new read(): the stream's queue fills

  protected resumeSource(): void {
    this.deliverLater();
  }

  protected override deliverHeld(): void {
    const held = this.#held;
    this.#held = null;
    if (held === null) this.#pull();
    else this.#deliver(held);
  }

  protected override markLost(): void {
    super.markLost();
    this.#held = null;
    this.#queued = 0; // asyncio's _force_close() clears its buffer: a write that never settles counts no more
  }

  /** The connection failed (or was aborted: no `error`): release both streams, then `connectionLost(error)`. */
  protected override abortSource(error: unknown): void {
    this.#release(
      error === undefined ? new ConnectionResetError() : new ConnectionResetError(undefined, { cause: error }),
      true,
    );
  }

  /** Starts the next `read()` unless one is in flight or delivery is stopped. */
  #pull(): void {
    if (this.#readInFlight || this.readingPaused || this.closing || this.#eofReceived || this.getProtocol() === null)
      return;
    this.#readInFlight = true;
    this.#reader.read().then(this.#onRead, this.#onReadError);
  }

  readonly #onRead = (result: ReadableStreamReadResult<Uint8Array>): void => {
    this.#readInFlight = false;
    if (this.closing) return;
    if (this.readingPaused) this.#held = result;
    else this.#deliver(result);
  };

  readonly #onReadError = (error: unknown): void => {
    this.#readInFlight = false;
    if (this.closing) return; // close() stopped reading; a lost connection has said it all
    this.#fail(error);
  };

  /**
   * The readable failed (a peer's reset, a lost connection) while the reader may be behind: a paused
   * transport starts no read, so it would learn this only once the reader has caught up. Its drains
   * fail now, with the error the reader gets after its data; what is written now can no longer
   * arrive, since that read failure ends the connection.
   */
  readonly #onReadableError = (error: unknown): void => {
    if (this.closing) return; // close() stopped reading; a lost connection has said it all
    // Seen through `closed`, which rejects before a read in flight does, and while the reader is
    // paused with none: the connection's error from then on (see #fail).
    this.failProtocolWriting(asConnectionReset(error));
  };

  /** Fails the connection; after a read failure with that one error, which the drains already have. */
  #fail(error: unknown): void {
    const failure = this.writingFailure;
    this.forceClose(failure === null ? asConnectionReset(error) : failure.error);
  }

  #deliver(result: ReadableStreamReadResult<Uint8Array>): void {
    if (result.done) {
      this.#onEof();
      return;
    }
    const value: unknown = result.value;
    if (!(value instanceof Uint8Array)) {
      this.forceClose(new TypeError(`Cannot receive: a chunk must be a Uint8Array, not ${typeof value}`));
      return;
    }
    // A plain view of a subclass (a Node Buffer, whose slice() would not copy), or a copy if asked.
    const plain =
      value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const chunk = this.#copy ? plain.slice() : plain;
    if (chunk.length > 0) {
      try {
        this.getProtocol()!.dataReceived(chunk);
      } catch (error) {
        this.forceClose(error); // asyncio's _fatal_error: the protocol's own exception ends the connection
        return;
      }
    }
    this.#pull();
  }

  #onEof(): void {
    this.#eofReceived = true;
    const keepOpen = deliverEof(this.getProtocol(), {
      close: () => this.close(),
      fail: (error) => this.forceClose(error),
    });
    // As asyncio's SSL transport: with no half-close the peer's end is the connection's end, whatever
    // eofReceived() asked for (a WebSocketStream's readable ends only once the socket has closed).
    if (keepOpen && !this.#halfClose) this.close();
  }

  #written(size: number): void {
    if (this.lost) return; // markLost() emptied the count
    this.#queued -= size;
    this.maybeResumeWriting();
    if (this.closing && this.#queued === 0) this.#finishClose();
  }

  #writeFailed(size: number, error: unknown): void {
    if (this.lost) return; // markLost() emptied the count; the connection has failed already
    this.#queued -= size;
    this.#fail(error);
  }

  /** Closes the writable once; a failure to flush fails the connection. */
  #closeWriter(): Promise<void> {
    this.#writerClosed ??= this.#writer.close().then(ignore, (error: unknown) => this.#fail(error));
    return this.#writerClosed;
  }

  /** `close()` with nothing left to flush: the connection is lost, then the streams are released. */
  #finishClose(): void {
    this.connectionLostSoon(undefined);
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
}
