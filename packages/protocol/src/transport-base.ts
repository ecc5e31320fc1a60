import { InvalidStateError } from "@asyncstreams/reader";
import type { FlowControl } from "./flow-control.js";
import type { Protocol } from "./protocol.js";
import type { Transport, WriteBufferLimits } from "./transport.js";
import { resolveWriteBufferLimits } from "./resolve-write-buffer-limits.js";
import { writeLinesTo } from "./write-lines-to.js";

/**
 * What {@linkcode TransportBase}'s constructor takes.
 *
 * @example
 * ```ts
 * import type { TransportBaseOptions } from "@asyncstreams/protocol";
 *
 * const options: TransportBaseOptions = { extraInfo: { peername: "toy" }, writeBufferLimits: { high: 1024 } };
 * ```
 */
export interface TransportBaseOptions {
  /** What `getExtraInfo()` returns, kept as given (not copied). Default: nothing. */
  extraInfo?: Record<string, unknown> | undefined;
  /** Initial write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
}

/**
 * The one shape of every transport, as CPython's `_SelectorTransport` and `_FlowControlMixin`: it
 * owns what all transports share, so that a transport class is only its I/O.
 *
 * - the lifecycle: `close()` marks the transport closing once, then calls `startClose()`;
 *   `markLost()` is asyncio's `_closing = True; _conn_lost += 1` (writes are dropped from then on and
 *   write flow control stops); `callConnectionLost()` tells the protocol exactly once;
 *   `forceClose()` is asyncio's `_force_close()`.
 * - reading: `isReading()`, `pauseReading()` and `resumeReading()` with asyncio's rules (no-ops
 *   while closing or when already in that state); the subclass pauses and resumes its source in
 *   `pauseSource()` / `resumeSource()`, and `deliverLater()` hands on what it holds in a later
 *   microtask (a protocol is never re-entered from inside `resumeReading()`).
 * - writing: `write()` checks its argument, refuses after `writeEof()` and drops writes once the
 *   connection is lost, then calls `writeData()`; `writeEof()` is once and never while closing, then
 *   `endWriting()`; the water marks are asyncio's `_FlowControlMixin`, kept here as two numbers and
 *   a flag (no helper object or closures: an idle connection carries them).
 * - the protocol (`getProtocol()` / `setProtocol()`) and extra info.
 *
 * A subclass implements `writeData()`, `endWriting()`, `startClose()`, `pauseSource()`,
 * `resumeSource()`, `abort()`, `getWriteBufferSize()` and `canWriteEof()`, and calls
 * `maybePauseWriting()` after it queues bytes and `maybeResumeWriting()` after bytes leave.
 *
 * @example
 * ```ts
 * import { TransportBase, createStreams } from "@asyncstreams/protocol";
 *
 * // A toy transport: what is written comes back as received data, in a later microtask.
 * class LoopbackTransport extends TransportBase {
 *   #held: Uint8Array[] = [];
 *
 *   constructor() {
 *     super({ extraInfo: { peername: "loopback" } });
 *   }
 *
 *   getWriteBufferSize(): number {
 *     return 0; // nothing waits to be sent: it is held as received data at once
 *   }
 *
 *   canWriteEof(): boolean {
 *     return false;
 *   }
 *
 *   abort(): void {
 *     this.forceClose(undefined);
 *   }
 *
 *   protected writeData(data: Uint8Array): void {
 *     this.#held.push(new Uint8Array(data)); // a copy: the caller may reuse `data` (Buffer.slice() is a view)
 *     this.deliverLater();
 *   }
 *
 *   protected endWriting(): void {} // never called: canWriteEof() is false and nothing calls writeEof()
 *
 *   protected startClose(): void {
 *     this.#held = [];
 *     this.connectionLostSoon(undefined);
 *   }
 *
 *   protected pauseSource(): void {} // what arrives waits in #held
 *
 *   protected resumeSource(): void {
 *     this.deliverLater();
 *   }
 *
 *   protected override deliverHeld(): void {
 *     while (this.isReading() && this.#held.length > 0) this.getProtocol()?.dataReceived(this.#held.shift()!);
 *   }
 * }
 *
 * const transport = new LoopbackTransport();
 * const { reader, writer } = createStreams(transport);
 * writer.write(new TextEncoder().encode("ping\n"));
 * console.log(new TextDecoder().decode(await reader.readLine())); // "ping\n"
 * console.log(transport.getExtraInfo("peername")); // "loopback"
 * writer.close();
 * await writer.waitClosed();
 * console.log(transport.isClosing()); // true
 * ```
 */
export abstract class TransportBase implements Transport {
  #protocol: Protocol | null = null;
  readonly #extraInfo: Record<string, unknown>;
  #high: number;
  #low: number;
  #writingPaused = false;
  #readingPaused = false;
  #closing = false;
  #eofWritten = false;
  /** Writes are dropped from now on (asyncio's `_conn_lost > 0`). */
  #lost = false;
  #lostCalled = false;
  /** What `failProtocolWriting()` was given: the drains of a protocol set later fail with it too. */
  #writingFailure: { error: unknown } | null = null;

  /** @param options Extra info and initial water marks. */
  protected constructor(options: TransportBaseOptions = {}) {
    this.#extraInfo = options.extraInfo ?? {};
    const { high, low } = resolveWriteBufferLimits(options.writeBufferLimits);
    this.#high = high;
    this.#low = low;
  }

  /** @inheritDoc */
  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
    if (this.#writingFailure !== null) this.#tellWritingFailed(); // it learns what the last one did
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
    this.pauseSource();
  }

  /** @inheritDoc */
  resumeReading(): void {
    if (this.#closing || !this.#readingPaused) return;
    this.#readingPaused = false;
    this.resumeSource();
  }

  /** @inheritDoc */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError("Cannot write: data must be a Uint8Array");
    if (this.#eofWritten) throw new InvalidStateError("Cannot write: writeEof() was already called");
    if (data.length === 0 || this.#lost) return; // asyncio drops writes once the connection is lost
    this.writeData(data);
  }

  /** @inheritDoc */
  writeLines(chunks: Iterable<Uint8Array>): void {
    // Even with nothing to write, as asyncio 3.13's writelines() raises after write_eof().
    if (this.#eofWritten) throw new InvalidStateError("Cannot write: writeEof() was already called");
    writeLinesTo((chunk) => this.write(chunk), chunks); // all checked first: asyncio's is all or nothing
  }

  /** @inheritDoc */
  writeEof(): void {
    if (this.#closing || this.#eofWritten) return;
    this.#eofWritten = true;
    this.endWriting();
  }

  /** @inheritDoc */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.startClose();
  }

  /** @inheritDoc */
  getWriteBufferLimits(): WriteBufferLimits {
    return { high: this.#high, low: this.#low };
  }

  /** @inheritDoc */
  setWriteBufferLimits(limits?: Partial<WriteBufferLimits>): void {
    const { high, low } = resolveWriteBufferLimits(limits);
    this.#high = high;
    this.#low = low;
    this.maybePauseWriting();
  }

  /** @inheritDoc */
  abstract abort(): void;

  /** @inheritDoc */
  abstract getWriteBufferSize(): number;

  /** @inheritDoc */
  abstract canWriteEof(): boolean;

  /** Whether `close()` was called or the connection is lost (without a subclass's additions). */
  protected get closing(): boolean {
    return this.#closing;
  }

  /** Whether writes are dropped: the connection is lost or about to be (asyncio's `_conn_lost > 0`). */
  protected get lost(): boolean {
    return this.#lost;
  }

  /** Whether `connectionLost()` was called. */
  protected get connectionLostCalled(): boolean {
    return this.#lostCalled;
  }

  /**
   * For a transport that holds `connectionLost()` back until its reader has read what it holds (a
   * peer's reset or close while the reader is paused): nothing written can arrive any more, so the
   * protocol's drains fail now, with the error the reader gets after its data. Reaches protocols
   * built on `FlowControl` (its `failWriting()`, which `createStreams()`'s has), this one and any set
   * later. Later calls are ignored.
   *
   * @param error What the reader will get.
   */
  protected failProtocolWriting(error: unknown): void {
    if (this.#writingFailure !== null) return;
    this.#writingFailure = { error };
    this.#tellWritingFailed();
  }

  /** What `failProtocolWriting()` was given, or `null` before it was called. */
  protected get writingFailure(): { readonly error: unknown } | null {
    return this.#writingFailure;
  }

  #tellWritingFailed(): void {
    const protocol = this.#protocol as Partial<Pick<FlowControl, "failWriting">> | null;
    if (typeof protocol?.failWriting === "function") protocol.failWriting(this.#writingFailure!.error);
  }

  /** Whether `writeEof()` was called. */
  protected get eofWritten(): boolean {
    return this.#eofWritten;
  }

  /** Whether the protocol asked for a pause that is still on (whatever `closing` says). */
  protected get readingPaused(): boolean {
    return this.#readingPaused;
  }

  /** Whether the protocol was told `pauseWriting()` and not yet `resumeWriting()`. */
  protected get writingPaused(): boolean {
    return this.#writingPaused;
  }

  /** The low-water mark: `resumeWriting()` comes once the buffer is at or below it. */
  protected get writeBufferLow(): number {
    return this.#low;
  }

  /**
   * Call after bytes were queued: tells the protocol `pauseWriting()` once the buffer
   * (`bufferedForFlowControl()`) is over the high-water mark, as asyncio's
   * `_maybe_pause_protocol()`. Nothing once the connection is lost.
   *
   * @returns Whether this call paused writing (for a transport that reports the change).
   */
  protected maybePauseWriting(): boolean {
    if (this.#writingPaused || this.#lost || this.bufferedForFlowControl() <= this.#high) return false;
    this.#writingPaused = true;
    this.#protocol?.pauseWriting();
    return true;
  }

  /**
   * Call after bytes left the buffer: tells the protocol `resumeWriting()` once a paused buffer is
   * at or below the low-water mark, as asyncio's `_maybe_resume_protocol()`.
   *
   * @returns Whether this call resumed writing.
   */
  protected maybeResumeWriting(): boolean {
    if (!this.#writingPaused || this.#lost || this.bufferedForFlowControl() > this.#low) return false;
    this.#writingPaused = false;
    this.#protocol?.resumeWriting();
    return true;
  }

  /**
   * The buffer size that write flow control acts on. Default: `getWriteBufferSize()`.
   *
   * @returns A byte count.
   */
  protected bufferedForFlowControl(): number {
    return this.getWriteBufferSize();
  }

  /** Sets what `getExtraInfo(name)` returns from now on (a socket replaced by its TLS socket). */
  protected setExtraInfo(name: string, value: unknown): void {
    this.#extraInfo[name] = value;
  }

  /**
   * Sends or queues `data`: called by `write()` with a non-empty `Uint8Array` while the connection
   * is not lost. The caller may reuse `data` afterwards: copy it if it is kept.
   */
  protected abstract writeData(data: Uint8Array): void;

  /** Half-closes once what was written is flushed: called by `writeEof()`, once, never while closing. */
  protected abstract endWriting(): void;

  /**
   * Called by `close()`, once, with `closing` already set: stop delivering data, flush the buffer,
   * then call `connectionLostSoon(undefined)` (or `callConnectionLost(undefined)`).
   */
  protected abstract startClose(): void;

  /** Tells the source to stop sending (called by `pauseReading()`); whatever still arrives is held. */
  protected abstract pauseSource(): void;

  /** Tells the source to send again (called by `resumeReading()`); `deliverLater()` hands on what is held. */
  protected abstract resumeSource(): void;

  /** Hands on what the transport holds while reading is on; called by `deliverLater()`. Default: nothing. */
  protected deliverHeld(): void {}

  /** Calls `deliverHeld()` in a later microtask, if reading is still on then (never inside the caller). */
  protected deliverLater(): void {
    queueMicrotask(() => {
      if (!this.#readingPaused && !this.#closing) this.deliverHeld();
    });
  }

  /**
   * Nothing is delivered or written from now on: asyncio's `_closing = True` and `_conn_lost += 1`,
   * and no more `pauseWriting()` / `resumeWriting()`. A subclass that holds received data drops it
   * in an override (calling this one).
   */
  protected markLost(): void {
    this.#closing = true;
    this.#lost = true;
  }

  /** `markLost()`, then `callConnectionLost(error)` in a microtask, as asyncio's `call_soon` does. */
  protected connectionLostSoon(error: unknown): void {
    this.markLost();
    queueMicrotask(() => this.callConnectionLost(error));
  }

  /**
   * asyncio's `_force_close()`: unless the connection is already lost, `markLost()`, then
   * `abortSource(error)`, then `connectionLost(error)` in a microtask.
   */
  protected forceClose(error: unknown): void {
    if (this.#lost) return;
    this.markLost();
    this.abortSource(error);
    queueMicrotask(() => this.callConnectionLost(error));
  }

  /** Lets go of the connection at once (destroy, reset, cancel): called by `forceClose()`. Default: nothing. */
  protected abortSource(_error: unknown): void {}

  /**
   * asyncio's `_call_connection_lost()`: tells the protocol, once. `beforeConnectionLost()` runs
   * first, `afterConnectionLost()` last, even when the protocol throws.
   */
  protected callConnectionLost(error: unknown): void {
    if (this.#lostCalled) return;
    this.#lostCalled = true;
    this.markLost();
    this.beforeConnectionLost(error);
    try {
      this.#protocol?.connectionLost(error);
    } finally {
      this.afterConnectionLost();
    }
  }

  /** Called once, just before the protocol's `connectionLost(error)`. Default: nothing. */
  protected beforeConnectionLost(_error: unknown): void {}

  /** Called once, right after the protocol's `connectionLost()`, even when it threw. Default: nothing. */
  protected afterConnectionLost(): void {}
}
