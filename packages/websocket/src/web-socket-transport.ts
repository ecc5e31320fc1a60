import { NotImplementedError } from "@asyncstreams/buffer";
import type { Protocol, WriteBufferLimits } from "@asyncstreams/protocol";
import { TransportBase } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import { checkTransportOptions } from "./_check-transport-options.js";
import { IncomingQueue } from "./_incoming-queue.js";
import { OpeningQueue } from "./_opening-queue.js";
import { ABORT_CODE, closeError, MESSAGE_TOO_BIG, sendableCode } from "./_close-codes.js";
import { KeepAlive } from "./_keep-alive.js";
import { listenToSocket } from "./_listen-to-socket.js";
import { asWsSocket, type WsSocket } from "./_ws-socket.js";
import { KeepAliveTimeoutError } from "./keep-alive-timeout-error.js";
import type { KeepAliveOptions } from "./keep-alive-options.js";
import { handshakeFailure } from "./_handshake-failure.js";
import { ReadOverflowError } from "./read-overflow-error.js";
import { ConnectionLostError } from "@asyncstreams/writer";
import type { WebSocketLike } from "./web-socket-like.js";
import type { WebSocketTransportOptions } from "./web-socket-transport-options.js";

const CONNECTING = 0;
const OPEN = 1;
/** How often a socket with no send callback (WHATWG) is polled for its `bufferedAmount`, in ms. */
const POLL_MS = 5;
/** The default of `maxReadBuffer`: 8 MiB. */
const DEFAULT_MAX_READ_BUFFER = 8 * 1024 * 1024;

/**
 * asyncio's transport over a WebSocket: the messages, in order, are the byte stream. It takes any
 * {@linkcode WebSocketLike} socket, open or still opening: the global `WebSocket` of a browser,
 * Deno, Bun or Node 22+, or a `ws` socket (client or server side).
 *
 * - A binary message is its bytes; a text message is its UTF-8 bytes. The reader never sees where
 *   one message ends (empty messages are skipped).
 * - `write()` sends one binary message (queued while the socket is opening). The write buffer is
 *   the socket's buffered bytes, behind `TransportBase`'s water marks: `ws`'s send callbacks resume the
 *   writer; a WHATWG socket, which has no such event, is polled while the writer is paused.
 * - `pauseReading()` is `ws.pause()`. A WHATWG socket cannot pause: messages are held in the
 *   transport up to `maxReadBuffer` bytes, and past that the connection closes with 1009.
 * - The peer's close with 1000, 1001 or 1005 is a clean `connectionLost(undefined)` (EOF); any other
 *   code is `connectionLost(ConnectionResetError)` with `closeCode` and `reason`, delivered after the
 *   data still queued for a paused reader. The write side ends at once: `isClosing()` is `true` and
 *   writes are dropped, and `drain()` rejects with that error at once (through the protocol's
 *   `FlowControl.failWriting()`, so `createStreams()` gets it too), as after a TCP reset. A
 *   WebSocket has no half-close: `canWriteEof()` is `false` and `writeEof()` throws `NotImplementedError`.
 * - `close()` stops delivering data (as asyncio's), sends close code 1000 after the data already
 *   sent, keeps the socket reading so that the closing handshake completes, and calls
 *   `connectionLost(undefined)` once that data is flushed; on a socket still opening, what was
 *   written is sent once it opens, then the close (with nothing written, the opening is abandoned).
 *   `abort()` is `ws.terminate()`; a WHATWG socket cannot drop its connection, so it closes with
 *   4000 ("aborted"), which its peer sees as a reset.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a WebSocket server on 127.0.0.1:8080 and a global WebSocket (Node 22+, Deno, Bun, browsers)
 * import { createStreams } from "@asyncstreams/protocol";
 * import { WebSocketTransport, type WebSocketLike } from "@asyncstreams/websocket";
 *
 * const transport = new WebSocketTransport(new WebSocket("ws://127.0.0.1:8080/") as unknown as WebSocketLike);
 * await transport.whenOpen();
 * const { reader, writer } = createStreams(transport);
 * ```
 */
export class WebSocketTransport extends TransportBase {
  readonly #socket: WebSocketLike;
  /** The same socket when it is a `ws` socket: pause, ping, terminate and send callbacks. */
  readonly #ws: WsSocket | undefined;
  readonly #url: string;
  readonly #maxReadBuffer: number;
  readonly #keepAliveOptions: KeepAliveOptions | undefined;
  readonly #opened: Promise<void>;
  #resolveOpened: () => void = () => undefined;
  #rejectOpened: (error: unknown) => void = () => undefined;
  #everOpened = false;
  readonly #incoming = new IncomingQueue({
    readingProtocol: () => (this.isReading() ? this.getProtocol() : null),
    ended: (error) => this.callConnectionLost(error),
    failed: (error) => this.forceClose(error),
  });
  /** What the `error` event brought; the `close` event that follows reports it as `cause`. */
  #error: unknown = undefined;
  /** `ws` sends whose callback has not come yet. */
  #pendingSends = 0;
  readonly #queued = new OpeningQueue();
  #poll: ReturnType<typeof setTimeout> | undefined;
  #keepAlive: KeepAlive | undefined;
  /** The connection ended while the reader is behind (and how, for a `close()` meanwhile). */
  #writeFailed = false;
  #writeError: unknown = undefined;

  /**
   * Listens to the socket from now on (what arrives before a protocol is set is held).
   *
   * @param socket A socket that is open or opening.
   * @param options Water marks, `maxReadBuffer`, `keepAlive`, extra info.
   * @throws {InvalidStateError} When the socket is closing or closed.
   * @throws {TypeError} For an unknown option or one of the wrong type, or `keepAlive` on a socket
   *   that cannot ping.
   * @throws {RangeError} For a bad number.
   */
  constructor(socket: WebSocketLike, options: WebSocketTransportOptions = {}) {
    const action = "Cannot make a WebSocketTransport";
    checkTransportOptions(options, action);
    if (socket.readyState !== CONNECTING && socket.readyState !== OPEN)
      throw new InvalidStateError(`${action}: the WebSocket is closing or closed`);
    super({ extraInfo: { ...options.extraInfo, websocket: socket }, writeBufferLimits: options.writeBufferLimits });
    this.#socket = socket;
    this.#ws = asWsSocket(socket);
    if (options.keepAlive !== undefined && this.#ws === undefined) {
      throw new TypeError(
        `${action}: keepAlive needs a socket that can send pings, such as ws's; the WHATWG WebSocket cannot (its browser or runtime answers the peer's pings by itself)`,
      );
    }
    const socketUrl = (socket as { url?: unknown }).url;
    this.#url = options.url ?? (typeof socketUrl === "string" ? socketUrl : "");
    this.#maxReadBuffer = options.maxReadBuffer ?? DEFAULT_MAX_READ_BUFFER;
    this.#keepAliveOptions = options.keepAlive;
    this.#opened = new Promise<void>((resolve, reject) => {
      this.#resolveOpened = resolve;
      this.#rejectOpened = reject;
    });
    this.#opened.catch(() => undefined); // read through whenOpen() or connectionLost(), never unhandled
    listenToSocket(socket, this.#ws, {
      open: this.#onOpen,
      data: this.#onData,
      close: this.#onClose,
      error: (error) => (this.#error ??= error),
      pong: () => this.#keepAlive?.pong(),
    });
    if (socket.readyState === OPEN) this.#onOpen();
  }

  /**
   * Waits for the socket to open.
   *
   * Cancel safety: it takes no signal and only observes: abandoning the wait changes nothing, and the
   * socket opens or fails on its own (call `abort()` or `close()` to give up on it).
   *
   * @returns A promise that resolves once it is open (at once if it is).
   * @throws {WebSocketHandshakeError} When it closes before opening.
   *
   * @example
   * ```ts
   * import { WebSocketTransport } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), {
   *   host: "127.0.0.1",
   *   port: 0,
   *   path: "/chat",
   * });
   * const { port } = server.addresses()[0] as { port: number };
   * const transport = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/chat`));
   * await transport.whenOpen();
   * console.log(transport.isClosing()); // false: open
   * const refused = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/elsewhere`));
   * const error = await refused.whenOpen().catch((reason: unknown) => reason);
   * console.log((error as Error).name, (error as { status?: number }).status); // "WebSocketHandshakeError" 404
   * transport.close();
   * server.close();
   * await server.waitClosed();
   * ```
   */
  whenOpen(): Promise<void> {
    return this.#opened;
  }

  /** @inheritDoc */
  override setProtocol(protocol: Protocol): void {
    super.setProtocol(protocol); // a protocol set after the connection ended learns it too
    if (!this.#incoming.isEmpty) this.deliverLater(); // held messages arrive after connectionMade()
  }

  /** @inheritDoc */
  override getExtraInfo(name: string): unknown {
    if (name === "subprotocol") return this.#socket.protocol;
    return super.getExtraInfo(name);
  }

  /**
   * A WebSocket has no half-close: a close frame ends both directions.
   *
   * @throws {NotImplementedError} Always.
   *
   * @example
   * ```ts
   * import { WebSocketTransport } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const { port } = server.addresses()[0] as { port: number };
   * const transport = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/`));
   * await transport.whenOpen();
   * try {
   *   transport.writeEof();
   * } catch (error) {
   *   console.log((error as Error).name); // "NotImplementedError"
   *   transport.close(); // what ends a WebSocket: both directions at once
   * }
   * server.close();
   * await server.waitClosed();
   * ```
   */
  override writeEof(): void {
    throw new NotImplementedError(
      "writeEof (a WebSocket has no half-close: its close frame ends both directions; use close())",
    );
  }

  /**
   * @returns `false`: a WebSocket has no half-close.
   *
   * @example
   * ```ts
   * import { createStreams } from "@asyncstreams/protocol";
   * import { WebSocketTransport } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const { port } = server.addresses()[0] as { port: number };
   * const transport = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/`));
   * await transport.whenOpen();
   * const { writer } = createStreams(transport);
   * console.log(writer.canWriteEof()); // false
   * // Code written for any transport: half-close where it can, else close.
   * if (writer.canWriteEof()) writer.writeEof();
   * else writer.close();
   * await writer.waitClosed();
   * server.close();
   * await server.waitClosed();
   * ```
   */
  canWriteEof(): boolean {
    return false;
  }

  /** @inheritDoc */
  abort(): void {
    this.forceClose(undefined);
  }

  /**
   * @returns The bytes buffered for sending: queued while opening, plus the socket's `bufferedAmount`.
   *
   * @example
   * ```ts
   * import { WebSocketTransport } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const { port } = server.addresses()[0] as { port: number };
   * const transport = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/`));
   * transport.write(new Uint8Array(1000)); // queued while the socket opens
   * console.log(transport.getWriteBufferSize()); // 1000
   * await transport.whenOpen();
   * transport.close();
   * server.close();
   * await server.waitClosed();
   * ```
   */
  getWriteBufferSize(): number {
    if (this.#writeFailed) return 0; // nothing more will leave
    // ws: with no send pending, what is left is control frames (pongs, the close frame): not ours to wait for.
    const socketBytes = this.#ws !== undefined && this.#pendingSends === 0 ? 0 : this.#socket.bufferedAmount;
    return this.#queued.bytes + socketBytes;
  }

  /** @inheritDoc */
  override setWriteBufferLimits(limits: Partial<WriteBufferLimits> = {}): void {
    super.setWriteBufferLimits(limits);
    this.#pollWhileWaiting();
  }

  /**
   * @returns `true` once `close()` was called or the connection ended (even with data left to read).
   *
   * @example
   * ```ts
   * import { WebSocketTransport } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const { port } = server.addresses()[0] as { port: number };
   * const transport = new WebSocketTransport(new WebSocket(`ws://127.0.0.1:${port}/`));
   * await transport.whenOpen();
   * console.log(transport.isClosing()); // false: open
   * transport.close();
   * console.log(transport.isClosing()); // true: writes are dropped from now on
   * server.close();
   * await server.waitClosed();
   * ```
   */
  override isClosing(): boolean {
    return super.isClosing() || this.#writeFailed;
  }

  /** @returns `<WebSocketTransport url>`, with `closing` once closing. */
  override toString(): string {
    return `<WebSocketTransport${this.#url === "" ? "" : ` ${this.#url}`}${this.isClosing() ? " closing" : ""}>`;
  }

  protected writeData(data: Uint8Array): void {
    if (this.closing || this.#writeFailed) return; // asyncio drops writes once the transport is closing
    if (this.#socket.readyState === CONNECTING) {
      this.#queued.push(data);
    } else if (this.#socket.readyState === OPEN) {
      this.#send(data);
    } else {
      return;
    }
    this.maybePauseWriting();
    this.#pollWhileWaiting();
  }

  protected endWriting(): void {} // never called: writeEof() always throws

  protected startClose(): void {
    this.#incoming.clear(); // asyncio stops reading at once
    this.#keepAlive?.stop();
    if (this.#writeFailed) {
      // The connection already ended, unread: the close reports how (a reset stays a reset).
      this.connectionLostSoon(this.#writeError);
      return;
    }
    if (this.#socket.readyState === CONNECTING) {
      // What was written before close() is sent once the socket opens, then the close (as asyncio
      // flushes before closing); with nothing to send, the opening is abandoned.
      if (this.#queued.bytes > 0) return;
      this.#socket.close();
      this.#finishClose();
      return;
    }
    this.#closeAfterSent();
  }

  // ws pauses its socket; a WHATWG socket cannot, so what arrives is held (up to maxReadBuffer).
  protected pauseSource(): void {
    this.#ws?.pause();
    // A paused socket reads no pong either: a healthy peer behind a slow reader is not a dead one.
    this.#keepAlive?.suspend();
  }

  protected resumeSource(): void {
    this.#ws?.resume();
    this.#keepAlive?.resume();
    this.deliverLater();
  }

  protected override deliverHeld(): void {
    this.#incoming.deliver();
  }

  protected override markLost(): void {
    super.markLost();
    this.#incoming.clear();
    this.#queued.take();
    this.#keepAlive?.stop();
  }

  /**
   * Ends the connection at once: a read overflow with a close frame carrying 1009 (the peer learns
   * why), anything else with `ws.terminate()` (a WHATWG socket closes with 4000).
   */
  protected override abortSource(error: unknown): void {
    const closeCode = error instanceof ReadOverflowError ? MESSAGE_TOO_BIG : undefined;
    const state = this.#socket.readyState;
    if (this.#ws !== undefined && (closeCode === undefined || state !== OPEN)) {
      this.#ws.terminate();
    } else if (state === OPEN || state === CONNECTING) {
      const code = closeCode ?? ABORT_CODE;
      this.#socket.close(
        sendableCode(code, this.#ws !== undefined),
        code === ABORT_CODE ? "aborted" : "message too big",
      );
      this.#ws?.resume();
    }
  }

  protected override beforeConnectionLost(): void {
    if (this.#poll !== undefined) clearTimeout(this.#poll);
    this.#poll = undefined;
  }

  #send(data: Uint8Array): void {
    if (this.#ws !== undefined) {
      this.#pendingSends += 1;
      this.#ws.send(data, { binary: true }, this.#onSent);
    } else {
      this.#socket.send(data);
    }
  }

  readonly #onOpen = (): void => {
    if (this.#everOpened) return;
    this.#everOpened = true;
    this.#resolveOpened();
    if (this.lost) return;
    for (const data of this.#queued.take()) this.#send(data);
    if (this.closing) {
      this.#closeAfterSent(); // close() came while opening, with writes queued
      return;
    }
    this.maybeResumeWriting();
    if (this.#keepAliveOptions !== undefined && this.#ws !== undefined) {
      const ws = this.#ws;
      const onTimeout = (timeout: number): void => this.forceClose(new KeepAliveTimeoutError(timeout));
      this.#keepAlive = new KeepAlive(this.#keepAliveOptions, () => ws.ping(), onTimeout);
      if (this.readingPaused) this.#keepAlive.suspend(); // paused before the socket opened
    }
  };

  readonly #onData = (bytes: Uint8Array): void => {
    if (this.closing || bytes.length === 0) return;
    this.#incoming.pushData(bytes);
    // A WHATWG socket cannot stop reading: this cap is what bounds memory while the reader is paused.
    if (this.#ws === undefined && this.#incoming.heldBytes > this.#maxReadBuffer)
      this.forceClose(new ReadOverflowError(this.#maxReadBuffer));
  };

  readonly #onClose = (code: number, reason: string): void => {
    this.#keepAlive?.stop();
    if (!this.#everOpened) {
      const failure = handshakeFailure(this.#url, code, this.#error);
      this.#rejectOpened(failure);
      this.forceClose(failure);
      return;
    }
    if (this.lost) return;
    const error = closeError(code, reason, this.#error);
    if (this.closing) {
      // Our close() was waiting for its data to flush; the connection ended first.
      this.callConnectionLost(error);
      return;
    }
    // After what is still held: a paused reader sees the end once it resumes, as with TCP.
    this.#incoming.pushEnd(error);
    if (!this.connectionLostCalled) this.#failWriting(error);
  };

  readonly #onSent = (error?: Error | null): void => {
    this.#pendingSends -= 1;
    if (error !== undefined && error !== null) {
      // The close event follows (1006, this as cause); resuming drains would call a failed send flushed.
      this.#error ??= error;
      return;
    }
    if (this.lost || this.#writeFailed) return;
    this.maybeResumeWriting();
    if (this.closing && this.#pendingSends === 0) this.#finishClose();
  };

  /** The connection ended while the reader is behind: the drains fail now, as after a TCP reset. */
  #failWriting(error: unknown): void {
    this.#writeFailed = true;
    this.#writeError = error;
    this.#queued.take();
    this.#keepAlive?.stop();
    this.beforeConnectionLost(); // stops the poll: nothing more will leave
    // A clean close (EOF) is no error for the reader, but nothing written can arrive any more.
    this.failProtocolWriting(error ?? new ConnectionLostError());
  }

  /** WHATWG sockets have no event for a shrinking `bufferedAmount`: poll it while someone waits. */
  #pollWhileWaiting(): void {
    if (this.#ws !== undefined || this.#poll !== undefined || this.lost || this.#writeFailed) return;
    if (!this.writingPaused && !this.closing) return;
    this.#poll = setTimeout(() => {
      this.#poll = undefined;
      if (this.lost) return;
      this.maybeResumeWriting();
      if (this.closing && this.getWriteBufferSize() === 0) this.#finishClose();
      else this.#pollWhileWaiting();
    }, POLL_MS);
  }

  /** Sends close code 1000 (after the data already sent) on an open socket, then finishes once flushed. */
  #closeAfterSent(): void {
    if (this.#socket.readyState === OPEN) this.#socket.close(1000);
    // Read on, unseen, so that the peer's close frame completes the closing handshake.
    this.#ws?.resume();
    if (this.getWriteBufferSize() === 0) this.#finishClose();
    else this.#pollWhileWaiting(); // ws: the last send callback finishes; WHATWG: the poll does
  }

  /** `close()` with nothing left to flush: the connection is lost within this turn. */
  #finishClose(): void {
    if (!this.lost) this.connectionLostSoon(undefined);
  }
}
