import { NotImplementedError } from "@asyncstreams/buffer";
import type { Protocol, Transport, WriteBufferLimits } from "@asyncstreams/protocol";
import { resolveWriteBufferLimits } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import WebSocket from "ws";
import { WebSocketClosedError, WebSocketTextMessageError } from "./websocket-errors.js";

const DEFAULT_HIGH = 65_536;
/** The close code sent when the peer sends a text message: 1003, unsupported data. */
const UNSUPPORTED_DATA = 1003;

/** Options for {@linkcode WebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low), on `bufferedAmount`. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** More for `getExtraInfo()`; `websocket` (the `ws` WebSocket) and `subprotocol` are always there. */
  extraInfo?: Record<string, unknown> | undefined;
}

/** What came in, in order: bytes, or the end of the connection (`error` undefined when clean). */
type Incoming = { readonly data: Uint8Array } | { readonly end: true; readonly error: unknown };

/** A plain `Uint8Array` view of what `ws` delivered (a Buffer, fragments, or an ArrayBuffer). */
function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) {
    const whole = Buffer.concat(data);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function byteLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.byteLength, 0);
  return data.byteLength;
}

/**
 * asyncio's transport over a `ws` WebSocket: the binary messages, in order, are the byte stream.
 *
 * - Each binary message received is one `dataReceived()` (a `Uint8Array` view of it, no copy;
 *   empty messages are skipped). A text message fails the connection with a
 *   {@linkcode WebSocketTextMessageError} (and the peer gets close code 1003).
 * - `write()` sends one binary message. The write buffer is the WebSocket's `bufferedAmount`:
 *   `pauseWriting()` comes when it rises strictly above the high-water mark after a send, and
 *   `resumeWriting()` when, polled on a send's callback, it has fallen to or below the low one.
 * - `pauseReading()` is `ws.pause()` (the socket stops reading, so TCP pushes back on the peer);
 *   messages already parsed when it came are held until `resumeReading()`.
 * - The peer's close is the end of the connection: close code 1000 or 1005 is a clean
 *   `connectionLost(undefined)` (a WebSocket has no half-close, so `eofReceived()` never comes);
 *   any other code is `connectionLost(WebSocketClosedError)` with the code and the reason.
 * - `writeEof()` throws `NotImplementedError` and `canWriteEof()` is `false`.
 * - `close()` stops reading, sends a close frame (1000) after the data already sent, and calls
 *   `connectionLost(undefined)` once that data is flushed. `abort()` is `ws.terminate()`.
 *
 * @example
 * ```ts
 * import { createStreams } from "@asyncstreams/protocol";
 * import WebSocket from "ws";
 *
 * const ws = new WebSocket("ws://127.0.0.1:8080");
 * await new Promise((resolve) => ws.once("open", resolve));
 * const { reader, writer } = createStreams(new WebSocketTransport(ws));
 * ```
 */
export class WebSocketTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #extraInfo: Record<string, unknown>;
  #protocol: Protocol | null = null;
  #high = DEFAULT_HIGH;
  #low = DEFAULT_HIGH / 4;
  /** Sends whose callback has not come yet. */
  #pendingSends = 0;
  #protocolPaused = false;
  #readingPaused = false;
  /** Received, not yet delivered: held while reading is paused or no protocol is set. */
  #incoming: Incoming[] = [];
  #delivering = false;
  #closing = false;
  /** The connection is lost or about to be: writes are dropped (asyncio's `_conn_lost > 0`). */
  #lost = false;
  #lostCalled = false;
  /** What the `'error'` event brought; the `'close'` event that follows reports it. */
  #error: unknown = undefined;

  /**
   * Listens to the WebSocket from now on (messages that arrive before a protocol is set are held).
   *
   * @param ws An open `ws` WebSocket, client or server side.
   * @param options Water marks and extra info.
   * @throws {InvalidStateError} Unless the WebSocket is open.
   */
  constructor(ws: WebSocket, options: WebSocketTransportOptions = {}) {
    if (ws.readyState !== WebSocket.OPEN) throw new InvalidStateError("Cannot make a WebSocketTransport: the WebSocket is not open");
    this.#ws = ws;
    ws.binaryType = "nodebuffer";
    this.#extraInfo = { ...options.extraInfo, websocket: ws, subprotocol: ws.protocol };
    if (options.writeBufferLimits !== undefined) this.setWriteBufferLimits(options.writeBufferLimits);
    ws.on("message", this.#onMessage);
    ws.on("error", this.#onError);
    ws.on("close", this.#onClose);
  }

  /** @inheritDoc */
  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
    // Held messages arrive asynchronously, after connectionMade().
    if (this.#incoming.length > 0) queueMicrotask(this.#deliver);
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
    this.#ws.pause();
  }

  /** @inheritDoc */
  resumeReading(): void {
    if (this.#closing || !this.#readingPaused) return;
    this.#readingPaused = false;
    this.#ws.resume();
    // Never synchronously: the reader calls this from inside a read.
    queueMicrotask(this.#deliver);
  }

  /** @inheritDoc */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError("Cannot write: data must be a Uint8Array");
    // asyncio drops writes once the connection is lost; ws could not send them after close() anyway.
    if (data.length === 0 || this.#closing || this.#lost || this.#ws.readyState !== WebSocket.OPEN) return;
    this.#pendingSends += 1;
    this.#ws.send(data, { binary: true }, this.#onSent);
    if (!this.#protocolPaused && this.#ws.bufferedAmount > this.#high) {
      this.#protocolPaused = true;
      this.#protocol?.pauseWriting();
    }
  }

  /** @inheritDoc */
  writeLines(chunks: Iterable<Uint8Array>): void {
    const list = Array.from(chunks);
    // All checked before any is sent: asyncio's writelines() is all or nothing.
    if (!list.every((chunk) => chunk instanceof Uint8Array)) throw new TypeError("Cannot write lines: each chunk must be a Uint8Array");
    for (const chunk of list) this.write(chunk);
  }

  /**
   * A WebSocket has no half-close: a close frame ends both directions.
   *
   * @throws {NotImplementedError} Always.
   */
  writeEof(): void {
    throw new NotImplementedError("writeEof (a WebSocket has no half-close)");
  }

  /** @returns `false`: a WebSocket has no half-close. */
  canWriteEof(): boolean {
    return false;
  }

  /** @inheritDoc */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#incoming = []; // asyncio stops reading at once
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.close(1000);
    // Read on, unseen, so that the peer's close frame completes the closing handshake.
    this.#ws.resume();
    if (this.#pendingSends === 0) this.#finishClose();
    // Otherwise #onSent finishes once the last send is flushed.
  }

  /** @inheritDoc */
  abort(): void {
    if (this.#lost) return;
    this.#closing = true;
    this.#lost = true;
    this.#incoming = [];
    this.#ws.terminate();
    queueMicrotask(() => this.#connectionLost(undefined));
  }

  /** @returns The WebSocket's `bufferedAmount`: bytes (frame headers included) not yet handed to the OS. */
  getWriteBufferSize(): number {
    return this.#ws.bufferedAmount;
  }

  /** @inheritDoc */
  getWriteBufferLimits(): WriteBufferLimits {
    return { high: this.#high, low: this.#low };
  }

  /** @inheritDoc */
  setWriteBufferLimits(limits: Partial<WriteBufferLimits> = {}): void {
    const { high, low } = resolveWriteBufferLimits(limits);
    this.#high = high;
    this.#low = low;
    if (!this.#protocolPaused && !this.#lost && this.#ws.bufferedAmount > high) {
      this.#protocolPaused = true;
      this.#protocol?.pauseWriting();
    }
  }

  /** @returns `<WebSocketTransport>`, with `closing` once closing. */
  toString(): string {
    return `<WebSocketTransport${this.#closing ? " closing" : ""}>`;
  }

  readonly #onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (this.#closing) return;
    if (!isBinary) {
      this.#fail(new WebSocketTextMessageError(byteLength(data)), UNSUPPORTED_DATA);
      return;
    }
    const bytes = toBytes(data);
    if (bytes.length === 0) return;
    this.#incoming.push({ data: bytes });
    this.#deliver();
  };

  readonly #onError = (error: Error): void => {
    this.#error ??= error; // ws emits 'close' right after
  };

  readonly #onClose = (code: number, reason: Buffer): void => {
    if (this.#lost) return;
    const clean = code === 1000 || code === 1005;
    const error = this.#error ?? (clean ? undefined : new WebSocketClosedError(code, reason.toString("utf8")));
    if (this.#closing) {
      // Our close() was waiting for its data to flush; the connection ended first.
      this.#lost = true;
      this.#connectionLost(error);
      return;
    }
    // After what is still held: a paused reader sees the end once it resumes, as with TCP.
    this.#incoming.push({ end: true, error });
    this.#deliver();
  };

  readonly #onSent = (error?: Error): void => {
    this.#pendingSends -= 1;
    if (this.#lost) return;
    if (error !== undefined && error !== null) {
      this.#fail(error);
      return;
    }
    const buffered = this.#ws.bufferedAmount;
    // With no send pending, what is left is control frames (pongs, the close frame): not ours to wait for.
    if (this.#protocolPaused && (buffered <= this.#low || this.#pendingSends === 0)) {
      this.#protocolPaused = false;
      this.#protocol?.resumeWriting();
    }
    if (this.#closing && this.#pendingSends === 0) this.#finishClose();
  };

  /** Hands what was received to the protocol, in order, while reading is on. */
  readonly #deliver = (): void => {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      while (this.#protocol !== null && !this.#readingPaused && !this.#lost && !this.#closing) {
        const next = this.#incoming.shift();
        if (next === undefined) break;
        if ("end" in next) {
          this.#closing = true;
          this.#lost = true;
          this.#connectionLost(next.error);
          break;
        }
        try {
          this.#protocol.dataReceived(next.data);
        } catch (error) {
          this.#fail(error); // asyncio's _fatal_error: the protocol's own exception ends the connection
          break;
        }
      }
    } finally {
      this.#delivering = false;
    }
  };

  /** `close()` with nothing left to flush: the connection is lost within this turn. */
  #finishClose(): void {
    this.#lost = true;
    queueMicrotask(() => this.#connectionLost(undefined));
  }

  /**
   * The connection failed: it ends at once, with a close frame carrying `closeCode` when given
   * (the peer learns why), else with `ws.terminate()`; then `connectionLost(error)`.
   */
  #fail(error: unknown, closeCode?: number): void {
    if (this.#lost) return;
    this.#closing = true;
    this.#lost = true;
    this.#incoming = [];
    if (closeCode !== undefined && this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.close(closeCode, "binary messages only");
      this.#ws.resume();
    } else {
      this.#ws.terminate();
    }
    queueMicrotask(() => this.#connectionLost(error));
  }

  #connectionLost(error: unknown): void {
    if (this.#lostCalled) return;
    this.#lostCalled = true;
    this.#incoming = [];
    this.#protocol?.connectionLost(error);
  }
}
