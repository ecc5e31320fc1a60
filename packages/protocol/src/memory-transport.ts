import { ConnectionResetError } from "./connection-reset-error.js";
import { deliverEof } from "./deliver-eof.js";
import type { Protocol } from "./protocol.js";
import type { WriteBufferLimits } from "./transport.js";
import { TransportBase } from "./transport-base.js";
import { resolveWriteBufferLimits } from "./resolve-write-buffer-limits.js";
import { checkOptionNames } from "./_check-option-names.js";

/**
 * Options for {@linkcode MemoryTransport.pair}.
 */
export interface MemoryTransportOptions {
  /** Initial write-buffer limits of both ends (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** What `getExtraInfo()` returns on each end, for tests (for example `{ peername: "left" }`). */
  extraInfo?: readonly [Record<string, unknown>, Record<string, unknown>] | undefined;
}

/**
 * One end of an in-memory connection with real buffering: bytes written on one end wait in its
 * write buffer until the other end is reading, so `pauseReading()` on the receiver really fills
 * the sender's buffer, and the sender's protocol gets `pauseWriting()` / `resumeWriting()` at its
 * water marks, exactly like a socket transport. Delivery is asynchronous (a microtask after the
 * write), in order, and each write arrives as its own chunk.
 *
 * Lifecycle as a TCP transport in asyncio: `writeEof()` delivers EOF after the buffered bytes;
 * `close()` stops reading, flushes, delivers EOF, then calls `connectionLost(undefined)`;
 * `abort()` drops the buffer, calls `connectionLost(undefined)` here and makes the other end's
 * connection fail with {@linkcode ConnectionResetError}; as asyncio's, it does nothing once the
 * connection is lost (after `close()` with nothing buffered), and an end already lost is not reset.
 * An exception from a protocol callback fails the connection with that exception. Bytes sent to an
 * end that is closing are dropped; bytes still queued when the other end has fully closed reset the
 * connection, as TCP's RST does, so `drain()` and `waitClosed()` fail with `ConnectionResetError`.
 *
 * Made in pairs by {@linkcode MemoryTransport.pair} (or `memoryTransportPair()`).
 *
 * @example
 * ```ts
 * import { MemoryTransport, createStreams } from "@asyncstreams/protocol";
 *
 * const [left, right] = MemoryTransport.pair();
 * const a = createStreams(left);
 * const b = createStreams(right);
 * a.writer.write(new TextEncoder().encode("ping\n"));
 * console.log(new TextDecoder().decode(await b.reader.readLine())); // "ping\n"
 * ```
 */
export class MemoryTransport extends TransportBase {
  #peer: MemoryTransport | null = null;
  #queue: Uint8Array[] = [];
  #queueSize = 0;
  #eofSent = false;
  #flushScheduled = false;
  #aborted = false;

  private constructor(extraInfo: Record<string, unknown>) {
    super({ extraInfo });
  }

  /**
   * Makes two connected ends. Give each a protocol (`createStreams()` does it) to start the flow.
   *
   * @param options Water marks and extra info for the two ends.
   * @returns The two ends.
   * @throws {TypeError} On an unknown option, `extraInfo` that is not two objects, or marks that
   *   are not numbers.
   * @throws {RangeError} Unless `high >= low >= 0`.
   *
   * @example
   * ```ts
   * import { MemoryTransport, createStreams } from "@asyncstreams/protocol";
   *
   * const [left, right] = MemoryTransport.pair({
   *   writeBufferLimits: { high: 1024 },
   *   extraInfo: [{ peername: "server" }, {}],
   * });
   * console.log(left.getExtraInfo("peername"), right.getExtraInfo("peername")); // "server" "memory:left"
   * console.log(left.getWriteBufferLimits()); // { high: 1024, low: 256 }
   * const client = createStreams(left);
   * const server = createStreams(right);
   * server.writer.write(new TextEncoder().encode("hi\n"));
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "hi\n"
   * ```
   */
  static pair(options: MemoryTransportOptions = {}): [MemoryTransport, MemoryTransport] {
    checkOptionNames("Cannot make a memory transport pair", options, ["writeBufferLimits", "extraInfo"]);
    const extraInfo: unknown = options.extraInfo;
    if (extraInfo !== undefined && !(Array.isArray(extraInfo) && extraInfo.length === 2 && extraInfo.every(isObject)))
      throw new TypeError(
        "Cannot make a memory transport pair: extraInfo should be an array of two objects, one per end",
      );
    // Checked before either end exists, so a bad mark leaves nothing half made.
    if (options.writeBufferLimits !== undefined) resolveWriteBufferLimits(options.writeBufferLimits);
    const left = new MemoryTransport({ peername: "memory:right", sockname: "memory:left", ...options.extraInfo?.[0] });
    const right = new MemoryTransport({ peername: "memory:left", sockname: "memory:right", ...options.extraInfo?.[1] });
    left.#peer = right;
    right.#peer = left;
    if (options.writeBufferLimits !== undefined) {
      left.setWriteBufferLimits(options.writeBufferLimits);
      right.setWriteBufferLimits(options.writeBufferLimits);
    }
    return [left, right];
  }

  /** @inheritDoc */
  override setProtocol(protocol: Protocol): void {
    super.setProtocol(protocol);
    this.#peer!.#scheduleFlush(); // bytes may be waiting for a protocol to receive them
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return true;
  }

  /**
   * Closes at once: drops the buffer, calls `connectionLost(undefined)` soon and resets the peer.
   * Does nothing once the connection is lost, as asyncio's `_force_close()` (after `close()` with an
   * empty buffer, the peer reads a clean EOF).
   *
   * @example
   * ```ts
   * import { MemoryTransport, createStreams } from "@asyncstreams/protocol";
   *
   * const [left, right] = MemoryTransport.pair();
   * const peer = createStreams(right);
   * createStreams(left);
   * left.abort();
   * const error = await peer.reader.read().catch((reason: unknown) => reason);
   * console.log((error as Error).name); // "ConnectionResetError"
   * ```
   */
  abort(): void {
    this.#forceClose(undefined);
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    return this.#queueSize;
  }

  /** @returns `<MemoryTransport sockname>`. */
  override toString(): string {
    return `<MemoryTransport ${String(this.getExtraInfo("sockname"))}>`;
  }

  protected pauseSource(): void {} // the peer's flush stops at #canReceive()

  protected resumeSource(): void {
    this.#peer!.#scheduleFlush();
  }

  protected writeData(data: Uint8Array): void {
    // Copy: the caller may reuse `data`, and the receiving reader takes ownership of what it gets. A
    // plain Uint8Array: `slice()` on a Node Buffer is a view of the caller's memory, not a copy.
    this.#queue.push(new Uint8Array(data));
    this.#queueSize += data.length;
    this.maybePauseWriting();
    this.#scheduleFlush();
  }

  protected endWriting(): void {
    this.#scheduleFlush();
  }

  protected startClose(): void {
    if (this.#queueSize === 0) this.markLost();
    this.#scheduleFlush();
  }

  protected override afterConnectionLost(): void {
    // The peer's flush applies the reset rule to what it still queues for this end (a peer paused
    // in writing would otherwise never flush again, and its drain() and waitClosed() would hang).
    this.#peer!.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  /** Moves buffered bytes, then EOF, to the peer while it reads; finishes a pending close. */
  #flush(): void {
    this.#flushScheduled = false;
    if (this.#aborted) return; // the pending connectionLost(error) says the rest
    const peer = this.#peer!;
    while (this.#queue.length > 0 && peer.#canReceive()) {
      const chunk = this.#queue.shift()!;
      this.#queueSize -= chunk.length;
      peer.#receive(chunk);
    }
    if (this.#aborted) return; // the peer's protocol failed and reset the connection: not a clean close
    if (peer.connectionLostCalled && this.#queue.length > 0) {
      // Bytes for an end that is fully closed: TCP answers with RST, and so does this pair, so a
      // `write(); await drain()` loop against a closed peer ends with an error (bpo-25441).
      this.#forceClose(new ConnectionResetError());
      return;
    }
    if (peer.closing) {
      this.#queue = []; // the peer no longer reads: what is still queued is lost, as on a socket
      this.#queueSize = 0;
    }
    this.maybeResumeWriting();
    if (this.#queueSize > 0) return;
    if ((this.eofWritten || this.closing) && !this.#eofSent && peer.#canReceive()) {
      this.#eofSent = true;
      peer.#receiveEof();
      if (this.#aborted) return; // the peer's eofReceived() failed and reset the connection
    }
    if (this.closing) this.callConnectionLost(undefined);
  }

  #canReceive(): boolean {
    return this.getProtocol() !== null && this.isReading();
  }

  #receive(chunk: Uint8Array): void {
    try {
      this.getProtocol()!.dataReceived(chunk);
    } catch (error) {
      this.#forceClose(error);
    }
  }

  #receiveEof(): void {
    // Half-open: nothing more will arrive, but this end may still write.
    if (deliverEof(this.getProtocol(), this.#eofActions)) this.pauseReading();
  }

  readonly #eofActions = { close: () => this.close(), fail: (error: unknown) => this.#forceClose(error) };

  /** Closes at once; the peer sees a reset, as after a TCP RST. */
  #forceClose(error: unknown): void {
    if (this.lost) return; // asyncio's `if self._conn_lost: return`: a clean close() stands
    this.#aborted = true;
    this.#queue = [];
    this.#queueSize = 0;
    this.connectionLostSoon(error);
    this.#peer!.#forceClose(new ConnectionResetError()); // a no-op for a peer already lost
  }
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}
