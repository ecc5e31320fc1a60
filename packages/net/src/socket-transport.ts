import type { Socket } from "node:net";
import type { Protocol, Transport, WriteBufferLimits } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import { toSocketError } from "./_socket-error-from.js";

const DEFAULT_HIGH = 65_536;

/**
 * Options for {@linkcode SocketTransport}.
 */
export interface SocketTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** Called once, right after the protocol's `connectionLost()`: a server's client tracking. */
  onDetach?: ((transport: SocketTransport) => void) | undefined;
  /** Extra `getExtraInfo()` entries, for example a Unix socket's path as `peername`. */
  extraInfo?: Record<string, unknown> | undefined;
}

/**
 * asyncio's socket transport over a Node.js `net.Socket` (TCP or Unix). It drives a
 * {@linkcode Protocol} with asyncio's lifecycle:
 *
 * - data: `dataReceived(chunk)` with a plain `Uint8Array` view of each chunk Node read (never a
 *   `Buffer`, whose `slice()` would not copy); `pauseReading()` / `resumeReading()` pause the socket.
 * - EOF: `eofReceived()`; if it returns `true` the connection stays half-open, so this side can go
 *   on writing (the socket must be made with `allowHalfOpen: true`); otherwise it closes.
 * - writes: never block; the protocol gets `pauseWriting()` when the socket's buffer rises above
 *   the high-water mark and `resumeWriting()` when it falls to the low-water mark.
 * - `close()`: stops reading, flushes, sends FIN, then `connectionLost(undefined)`; `abort()`:
 *   drops buffered data and resets the connection (RST).
 * - errors: a socket error becomes a `SocketError` (system `code`, original error as `cause`) and
 *   is passed to `connectionLost(error)`, so every read and `drain()` throw that same object.
 *
 * `openConnection()` and `startServer()` make these; use the class directly to adopt a socket
 * connected by other means.
 *
 * @example
 * ```ts
 * import { connect } from "node:net";
 * import { SocketTransport } from "@asyncstreams/net";
 * import { createStreams } from "@asyncstreams/protocol";
 *
 * const socket = connect({ host: "127.0.0.1", port: 8888, allowHalfOpen: true });
 * socket.once("connect", () => {
 *   const { reader, writer } = createStreams(new SocketTransport(socket));
 * });
 * ```
 */
export class SocketTransport implements Transport {
  readonly #socket: Socket;
  #protocol: Protocol | null = null;
  readonly #extraInfo: Record<string, unknown>;
  readonly #onDetach: ((transport: SocketTransport) => void) | undefined;
  #high = DEFAULT_HIGH;
  #low = DEFAULT_HIGH / 4;
  #protocolPaused = false;
  #readingPaused = false;
  #closing = false;
  #eofWritten = false;
  /** Writes are dropped from now on (asyncio's `_conn_lost > 0`). */
  #lost = false;
  #lostCalled = false;
  #error: unknown = undefined;
  /** Bytes written since the event loop last turned; see `#bufferedForFlowControl()`. */
  #turnBytes = 0;
  #turnScheduled = false;

  /**
   * @param socket A connected socket, made with `allowHalfOpen: true` for asyncio's half-close.
   * @param options Water marks and a detach hook.
   */
  constructor(socket: Socket, options: SocketTransportOptions = {}) {
    this.#socket = socket;
    this.#onDetach = options.onDetach;
    // Addresses vanish from the socket once it closes: keep them for getExtraInfo().
    this.#extraInfo = { socket, peername: peerName(socket), sockname: sockName(socket), ...options.extraInfo };
    if (options.writeBufferLimits !== undefined) this.setWriteBufferLimits(options.writeBufferLimits);
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
  }

  /** @inheritDoc */
  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
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
    // A write that failed synchronously (EPIPE, ECONNRESET) destroys the socket at once, while its
    // 'error' and 'close' events come a tick later: drain() must see it now to yield (bpo-25441).
    return this.#closing || this.#socket.destroyed;
  }

  /** @inheritDoc */
  isReading(): boolean {
    return !this.#readingPaused && !this.#closing;
  }

  /** @inheritDoc */
  pauseReading(): void {
    if (this.#closing || this.#readingPaused) return;
    this.#readingPaused = true;
    this.#socket.pause();
  }

  /** @inheritDoc */
  resumeReading(): void {
    if (this.#closing || !this.#readingPaused) return;
    this.#readingPaused = false;
    this.#socket.resume();
  }

  /** @inheritDoc */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError("Cannot write: data must be a Uint8Array");
    if (this.#eofWritten) throw new InvalidStateError("Cannot write: writeEof() was already called");
    if (data.length === 0 || this.#lost) return; // asyncio drops writes once the connection is lost
    this.#socket.write(data, this.#afterWrite);
    this.#turnBytes += data.length;
    if (!this.#turnScheduled) {
      this.#turnScheduled = true;
      setImmediate(this.#onTurn);
    }
    this.#maybePauseProtocol();
  }

  /** @inheritDoc */
  writeLines(chunks: Iterable<Uint8Array>): void {
    // Corked writes leave as one gathering write (writev).
    this.#socket.cork();
    try {
      for (const chunk of chunks) this.write(chunk);
    } finally {
      this.#socket.uncork();
    }
  }

  /** @inheritDoc */
  writeEof(): void {
    if (this.#closing || this.#eofWritten) return;
    this.#eofWritten = true;
    this.#socket.end();
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return true;
  }

  /** @inheritDoc */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#socket.pause(); // no more data is delivered, as asyncio removes the reader
    const socket = this.#socket;
    if (socket.writableLength === 0) {
      // Nothing left to flush: report the loss now, as asyncio's call_soon does, so a drain()
      // right after close() sees it.
      this.#lost = true;
      queueMicrotask(() => this.#connectionLost(undefined));
    }
    if (socket.writableFinished || socket.destroyed) socket.destroy();
    else socket.end(() => socket.destroy());
  }

  /** @inheritDoc */
  abort(): void {
    if (this.#lostCalled) return;
    this.#closing = true;
    this.#lost = true;
    const socket = this.#socket;
    if (!socket.destroyed) {
      try {
        socket.resetAndDestroy(); // RST, as asyncio's abort() with SO_LINGER 0 would
      } catch {
        socket.destroy(); // not a TCP handle (a Unix socket): a plain close
      }
    }
    queueMicrotask(() => this.#connectionLost(undefined));
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    return this.#socket.writableLength;
  }

  /** @inheritDoc */
  getWriteBufferLimits(): WriteBufferLimits {
    return { high: this.#high, low: this.#low };
  }

  /** @inheritDoc */
  setWriteBufferLimits(limits: Partial<WriteBufferLimits> = {}): void {
    let { high, low } = limits;
    high ??= low === undefined ? DEFAULT_HIGH : 4 * low;
    low ??= Math.floor(high / 4);
    if (!(high >= low && low >= 0)) {
      throw new RangeError(`Cannot set write buffer limits: high (${high}) must be >= low (${low}) must be >= 0`);
    }
    this.#high = high;
    this.#low = low;
    this.#maybePauseProtocol();
  }

  /** @returns `<SocketTransport peer>`. */
  toString(): string {
    const peer = this.#extraInfo["peername"];
    const text = typeof peer === "object" && peer !== null ? `${(peer as { address: string }).address}:${(peer as { port: number }).port}` : String(peer);
    return `<SocketTransport ${text}${this.#closing ? " closing" : ""}>`;
  }

  /**
   * The buffer size that flow control acts on: the socket's own buffer, or the bytes written since
   * the event loop last turned if that is more. Node reports a failed write (EPIPE, ECONNRESET) only
   * on a later tick, so without the second term a `write(); await drain()` loop against a dead peer
   * would spin in microtasks forever (asyncio's bpo-25441, in Node's shape): this way `drain()`
   * waits for the loop to turn at least once every `high` bytes.
   */
  #bufferedForFlowControl(): number {
    return Math.max(this.#socket.writableLength, this.#turnBytes);
  }

  #maybePauseProtocol(): void {
    if (!this.#protocolPaused && this.#bufferedForFlowControl() > this.#high) {
      this.#protocolPaused = true;
      this.#protocol?.pauseWriting();
    }
  }

  #maybeResumeProtocol(): void {
    if (this.#protocolPaused && this.#bufferedForFlowControl() <= this.#low) {
      this.#protocolPaused = false;
      this.#protocol?.resumeWriting();
    }
  }

  /** Runs after each chunk is handed to the kernel: resumes the protocol at the low-water mark. */
  readonly #afterWrite = (): void => {
    this.#maybeResumeProtocol();
  };

  readonly #onTurn = (): void => {
    this.#turnScheduled = false;
    this.#turnBytes = 0;
    this.#maybeResumeProtocol();
  };

  readonly #onData = (chunk: Buffer): void => {
    if (this.#closing) return;
    const data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    try {
      this.#protocol?.dataReceived(data);
    } catch (error) {
      this.#fatal(error);
    }
  };

  readonly #onEnd = (): void => {
    if (this.#closing) return;
    let keepOpen: unknown;
    try {
      keepOpen = this.#protocol?.eofReceived();
    } catch (error) {
      this.#fatal(error);
      return;
    }
    if (keepOpen !== true) this.close();
  };

  readonly #onError = (error: Error): void => {
    this.#error ??= toSocketError(error, "Connection lost");
  };

  readonly #onClose = (): void => {
    this.#closing = true;
    this.#lost = true;
    this.#connectionLost(this.#error);
  };

  /** A protocol callback threw: the connection fails with that error, as asyncio's `_fatal_error`. */
  #fatal(error: unknown): void {
    this.#error ??= error;
    this.#closing = true;
    this.#lost = true;
    this.#socket.destroy();
  }

  #connectionLost(error: unknown): void {
    if (this.#lostCalled) return;
    this.#lostCalled = true;
    this.#socket.off("data", this.#onData);
    try {
      this.#protocol?.connectionLost(error);
    } finally {
      this.#onDetach?.(this);
    }
  }
}

function peerName(socket: Socket): unknown {
  if (socket.remoteAddress === undefined) return undefined;
  return { address: socket.remoteAddress, family: socket.remoteFamily, port: socket.remotePort };
}

function sockName(socket: Socket): unknown {
  const address = socket.address();
  return "address" in address ? { address: address.address, family: address.family, port: address.port } : address;
}
