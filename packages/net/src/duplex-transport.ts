import type { Duplex, Readable, Writable } from "node:stream";
import { ConnectionResetError, TransportBase, deliverEof } from "@asyncstreams/protocol";
import type { Protocol, WriteBufferLimits } from "@asyncstreams/protocol";
import { toSocketError } from "./_socket-error-from.js";

/**
 * A connection as two Node streams: where the peer's bytes come from and where ours go. A child
 * process's stdio is one (`{ readable: child.stdout, writable: child.stdin }`), as in asyncio's
 * `connect_read_pipe()` and `connect_write_pipe()`.
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * import type { DuplexPair } from "@asyncstreams/net";
 *
 * const child = spawn("cat", { stdio: ["pipe", "pipe", "inherit"] });
 * const pair: DuplexPair = { readable: child.stdout, writable: child.stdin };
 * pair.writable.end(); // cat exits at the end of its input
 * ```
 */
export interface DuplexPair {
  /** The bytes the peer sends. */
  readonly readable: Readable;
  /** Where the bytes for the peer go. */
  readonly writable: Writable;
}

/**
 * Options for {@linkcode DuplexTransport}.
 *
 * @example
 * ```ts
 * import { PassThrough } from "node:stream";
 * import { DuplexTransport, type DuplexTransportOptions } from "@asyncstreams/net";
 *
 * const options: DuplexTransportOptions = {
 *   writeBufferLimits: { high: 16 * 1024 },
 *   extraInfo: { peername: "worker 1" },
 * };
 * const transport = new DuplexTransport({ readable: new PassThrough(), writable: new PassThrough() }, options);
 * ```
 */
export interface DuplexTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** Extra `getExtraInfo()` entries. `pipe` is the stream or pair given. */
  extraInfo?: Record<string, unknown> | undefined;
}

/**
 * asyncio's transport over any Node `stream.Duplex`, or over a readable and a writable stream
 * (a child process's stdio, asyncio's `connect_read_pipe` / `connect_write_pipe` use case):
 *
 * - data: `dataReceived(chunk)` with a plain `Uint8Array` view of each chunk the readable emits
 *   (no copy: Node hands each chunk over for good); `pauseReading()` / `resumeReading()` call
 *   `readable.pause()` / `readable.resume()`. Reading starts when the protocol is set.
 * - the readable's `'end'`: `eofReceived()`; the connection stays half-open if it returns `true`
 *   (a `Duplex` is switched to `allowHalfOpen = true` for that), otherwise it closes.
 * - writes: never block; the protocol gets `pauseWriting()` when `writable.writableLength` rises
 *   strictly above the high-water mark and `resumeWriting()` when it falls to the low-water mark
 *   (checked as each write completes). `writeEof()` is `writable.end()`.
 * - `close()`: stops reading at once, flushes, calls `connectionLost(undefined)`, then ends the
 *   writable and lets go of the readable (a pair's readable is destroyed and its writable left to
 *   close itself once ended; a `Duplex` is destroyed once its end is flushed). `abort()`: destroys
 *   the streams at once, then `connectionLost(undefined)`.
 * - errors: a stream that breaks (an `'error'` with a reset code such as `ECONNRESET`, `EPIPE` or
 *   `ERR_STREAM_PREMATURE_CLOSE`, a readable that closes without `'end'`, a write to a writable
 *   destroyed under the transport) fails the connection with a `ConnectionResetError`, as on every
 *   transport (the system code as `systemCode`); other errors as a `SocketError` with the system
 *   `code`. Both keep Node's error as `cause`.
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * import { DuplexTransport } from "@asyncstreams/net";
 * import { createStreams } from "@asyncstreams/protocol";
 *
 * const child = spawn("cat", { stdio: ["pipe", "pipe", "inherit"] });
 * const transport = new DuplexTransport({ readable: child.stdout, writable: child.stdin });
 * const { reader, writer } = createStreams(transport);
 * writer.write(new TextEncoder().encode("echo me\n"));
 * console.log(new TextDecoder().decode(await reader.readLine())); // "echo me\n"
 * writer.close();
 * await writer.waitClosed();
 * ```
 */
export class DuplexTransport extends TransportBase {
  readonly #readable: Readable;
  readonly #writable: Writable;
  /** One `Duplex` for both directions (destroying one side destroys the other). */
  readonly #single: boolean;
  #listening = false;
  /** Chunks emitted after `pauseReading()` (Node may still emit one): delivered on resume. */
  #held: Uint8Array[] = [];
  #eofHeld = false;
  /** The readable emitted `'end'`. */
  #ended = false;
  #error: unknown = undefined;

  /**
   * @param source A `Duplex` (a socket, a `Duplex.from()`...) or a `{ readable, writable }` pair.
   * @param options Water marks and extra info.
   */
  constructor(source: Duplex | DuplexPair, options: DuplexTransportOptions = {}) {
    super({ extraInfo: { pipe: source, ...options.extraInfo }, writeBufferLimits: options.writeBufferLimits });
    if (isPair(source)) {
      this.#readable = source.readable;
      this.#writable = source.writable;
    } else {
      this.#readable = source;
      this.#writable = source;
      source.allowHalfOpen = true; // asyncio keeps the write side open after the peer's EOF
    }
    this.#single = this.#readable === (this.#writable as unknown);
    // Listeners stay attached for good: a late 'error' must never go unhandled.
    this.#readable.on("end", this.#onEnd);
    this.#readable.on("error", this.#onError);
    this.#readable.on("close", this.#onReadableClose);
    if (!this.#single) this.#writable.on("error", this.#onError);
  }

  /** @inheritDoc */
  override setProtocol(protocol: Protocol): void {
    super.setProtocol(protocol);
    if (this.#listening || this.closing) return;
    this.#listening = true;
    this.#readable.on("data", this.#onData); // Node emits on a later tick: connectionMade() comes first
    if (this.readingPaused) this.#readable.pause();
    else this.#readable.resume();
  }

  /** @inheritDoc */
  override isClosing(): boolean {
    // A write that failed synchronously (EPIPE) marks the writable errored at once, while its 'error'
    // comes a tick later: drain() must see it now to yield (bpo-25441).
    return this.closing || (this.#writable.errored ?? null) !== null;
  }

  /** @inheritDoc */
  override writeLines(chunks: Iterable<Uint8Array>): void {
    const list = Array.from(chunks);
    // All checked before any is queued: asyncio's writelines() is all or nothing.
    if (!list.every((chunk) => chunk instanceof Uint8Array))
      throw new TypeError("Cannot write lines: each chunk must be a Uint8Array");
    this.#writable.cork(); // corked writes leave as one gathering write where the stream can
    try {
      for (const chunk of list) this.write(chunk);
    } finally {
      this.#writable.uncork();
    }
  }

  /**
   * Ends the writable once what was written is flushed (`writable.end()`); reading goes on.
   *
   * @example
   * ```ts
   * import { spawn } from "node:child_process";
   * import { DuplexTransport } from "@asyncstreams/net";
   * import { createStreams } from "@asyncstreams/protocol";
   *
   * const child = spawn("sort", { stdio: ["pipe", "pipe", "inherit"] });
   * const transport = new DuplexTransport({ readable: child.stdout, writable: child.stdin });
   * const { reader, writer } = createStreams(transport);
   * writer.write(new TextEncoder().encode("pear\napple\n"));
   * transport.writeEof(); // ends the child's stdin: sort answers only once its input ends
   * console.log(new TextDecoder().decode(await reader.read())); // "apple\npear\n"
   * writer.close();
   * ```
   */
  override writeEof(): void {
    super.writeEof();
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return true;
  }

  /** @inheritDoc */
  abort(): void {
    this.forceClose(undefined);
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    return this.#writable.writableLength;
  }

  /** @returns `<DuplexTransport>`, with `closing` once closing. */
  override toString(): string {
    return `<DuplexTransport${this.closing ? " closing" : ""}>`;
  }

  protected writeData(data: Uint8Array): void {
    const writable = this.#writable;
    if (writable.destroyed) {
      // Destroyed under us (the peer closed its end): what a socket reports as EPIPE.
      this.#fatal(
        this.#error ??
          new ConnectionResetError("Cannot write: the writable stream was destroyed (broken pipe)", {
            systemCode: "EPIPE",
          }),
      );
      return;
    }
    writable.write(data, this.#afterWrite);
    this.maybePauseWriting();
  }

  protected endWriting(): void {
    this.#writable.end();
  }

  protected startClose(): void {
    this.#held = []; // asyncio stops reading at once
    this.#readable.pause();
    if (this.#writable.writableLength === 0 || this.#writable.destroyed) this.#finishClose();
    // Otherwise #afterWrite finishes once the buffer is flushed.
  }

  protected pauseSource(): void {
    this.#readable.pause();
  }

  protected resumeSource(): void {
    // Never synchronously: the reader calls this from inside a read.
    if (this.#held.length > 0 || this.#eofHeld) this.deliverLater();
    else if (this.#listening) this.#readable.resume();
  }

  protected override deliverHeld(): void {
    while (this.#held.length > 0 && this.isReading()) this.#deliver(this.#held.shift()!);
    if (!this.isReading()) return;
    if (this.#eofHeld) {
      this.#eofHeld = false;
      this.#eof();
    } else {
      this.#readable.resume();
    }
  }

  protected override markLost(): void {
    super.markLost();
    this.#held = [];
  }

  /** Destroys the streams (a TCP socket resets, so its peer sees the abort as a reset, as asyncio's). */
  protected override abortSource(): void {
    const readable = this.#readable as Readable & { resetAndDestroy?: () => void };
    if (this.#single && typeof readable.resetAndDestroy === "function" && !readable.destroyed) {
      try {
        readable.resetAndDestroy();
        return;
      } catch {
        // Not a TCP handle (a Unix socket, a pipe): a plain destroy below.
      }
    }
    this.#readable.destroy();
    if (!this.#single) this.#writable.destroy();
  }

  protected override beforeConnectionLost(): void {
    this.#readable.off("data", this.#onData);
  }

  readonly #onData = (chunk: unknown): void => {
    if (this.closing) return;
    if (!(chunk instanceof Uint8Array)) {
      const kind = typeof chunk === "string" ? "a string (an encoding is set on the readable)" : typeof chunk;
      this.#fatal(new TypeError(`Cannot receive: a chunk must be a Uint8Array, not ${kind}`));
      return;
    }
    // A plain view, never the Buffer itself: a Buffer's slice() would not copy.
    const data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.readingPaused) this.#held.push(data);
    else this.#deliver(data);
  };

  #deliver(data: Uint8Array): void {
    if (data.length === 0) return;
    try {
      this.getProtocol()?.dataReceived(data);
    } catch (error) {
      this.#fatal(error); // asyncio's _fatal_error: the protocol's own exception ends the connection
    }
  }

  readonly #onEnd = (): void => {
    this.#ended = true;
    if (this.closing) return;
    if (this.#held.length > 0) this.#eofHeld = true;
    else this.#eof();
  };

  #eof(): void {
    deliverEof(this.getProtocol(), { close: () => this.close(), fail: (error) => this.#fatal(error) });
  }

  readonly #onError = (error: Error): void => {
    this.#error ??= toSocketError(error, "Connection lost");
    this.#fatal(this.#error);
  };

  readonly #onReadableClose = (): void => {
    if (this.lost) return;
    if (this.#single && this.#ended) {
      // Both directions are done (Node destroys a Duplex once it has ended and finished).
      this.connectionLostSoon(this.#error);
    } else if (!this.#ended) {
      this.#fatal(
        this.#error ?? new ConnectionResetError("Connection reset: the readable stream closed before it ended"),
      );
    }
  };

  /** Runs after each write completes: resumes the protocol at the low-water mark, finishes a close. */
  readonly #afterWrite = (error?: Error | null): void => {
    if (error !== undefined && error !== null) {
      this.#onError(error);
      return;
    }
    if (this.lost) return;
    this.maybeResumeWriting();
    if (this.closing && this.#writable.writableLength === 0) this.#finishClose();
  };

  /** `close()` with nothing left to flush: the connection is lost, then the streams are let go. */
  #finishClose(): void {
    this.connectionLostSoon(undefined);
    const writable = this.#writable;
    if (!this.#single) {
      // Two streams: nothing more is read, and the writable ends once flushed (a pipe then closes
      // itself; destroying it could drop what the peer has not read yet, as in a PassThrough).
      this.#readable.destroy();
      if (!writable.destroyed) writable.end();
      return;
    }
    // One Duplex (a socket): end() flushes and sends EOF, then destroy() releases it, since its
    // readable side, no longer read, would keep it open. The callback also runs if end() cannot.
    if (!writable.destroyed) writable.end(() => writable.destroy());
  }

  /** The connection failed: destroy the streams, then `connectionLost(error)`. */
  #fatal(error: unknown): void {
    if (this.lost) return;
    this.#error ??= error;
    this.forceClose(error);
  }
}

function isPair(source: Duplex | DuplexPair): source is DuplexPair {
  const readable = (source as { readable?: unknown }).readable;
  return typeof readable === "object" && readable !== null;
}
