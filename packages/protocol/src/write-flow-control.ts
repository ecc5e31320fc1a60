import { resolveWriteBufferLimits } from "./resolve-write-buffer-limits.js";
import type { Protocol } from "./protocol.js";
import type { WriteBufferLimits } from "./transport.js";

/**
 * What {@linkcode WriteFlowControl} needs from its transport.
 */
export interface WriteFlowControlOptions {
  /** The bytes the transport holds for sending now: its write buffer, however it keeps it. */
  readonly size: () => number;
  /** The protocol to tell, looked up at each call (a transport's protocol can be replaced). */
  readonly protocol: () => Protocol | null;
  /** Initial water marks (asyncio's defaults: 64 KiB high, `high / 4` low). */
  limits?: Partial<WriteBufferLimits> | undefined;
}

/**
 * The write half of asyncio's flow control, shared by every transport: it owns the high- and
 * low-water marks and decides when the protocol gets `pauseWriting()` (the buffer rose strictly
 * above `high`) and `resumeWriting()` (it fell to `low` or below). A transport only reports its
 * buffer's size and calls {@linkcode WriteFlowControl.maybePause} after it queues bytes and
 * {@linkcode WriteFlowControl.maybeResume} after bytes leave, so a new transport is only its I/O.
 *
 * The two calls alternate, starting with `pauseWriting()`, and stop for good after
 * {@linkcode WriteFlowControl.stop} (the connection is lost), as asyncio's `_maybe_pause_protocol`
 * and `_maybe_resume_protocol` guarantee.
 *
 * @example
 * ```ts
 * import { WriteFlowControl, type Protocol } from "@asyncstreams/protocol";
 *
 * const queue: Uint8Array[] = [];
 * let protocol: Protocol | null = null;
 * const flow = new WriteFlowControl({
 *   size: () => queue.reduce((sum, chunk) => sum + chunk.length, 0),
 *   protocol: () => protocol,
 *   limits: { high: 4 },
 * });
 * queue.push(new Uint8Array(5));
 * flow.maybePause();
 * console.log(flow.isPaused()); // true
 * queue.length = 0;
 * flow.maybeResume();
 * console.log(flow.isPaused()); // false
 * ```
 */
export class WriteFlowControl {
  readonly #size: () => number;
  readonly #protocol: () => Protocol | null;
  #high: number;
  #low: number;
  #paused = false;
  #stopped = false;

  /**
   * @param options The buffer's size, the protocol to tell and the initial water marks.
   * @throws {RangeError} When the water marks break `high >= low >= 0`.
   */
  constructor(options: WriteFlowControlOptions) {
    this.#size = options.size;
    this.#protocol = options.protocol;
    const { high, low } = resolveWriteBufferLimits(options.limits);
    this.#high = high;
    this.#low = low;
  }

  /**
   * Tells whether the protocol was last told to pause.
   *
   * @returns `true` between `pauseWriting()` and `resumeWriting()`.
   *
   * @example
   * ```ts
   * import { WriteFlowControl } from "@asyncstreams/protocol";
   *
   * let buffered = 0;
   * const flow = new WriteFlowControl({ size: () => buffered, protocol: () => null, limits: { high: 4 } });
   * console.log(flow.isPaused()); // false
   * buffered = 5;
   * flow.maybePause();
   * console.log(flow.isPaused()); // true
   * ```
   */
  isPaused(): boolean {
    return this.#paused;
  }

  /** The low-water mark, for a transport's hot path (no object made, unlike `getLimits()`). */
  get low(): number {
    return this.#low;
  }

  /**
   * The current water marks: what a transport's `getWriteBufferLimits()` returns.
   *
   * @returns A fresh `{ high, low }`.
   *
   * @example
   * ```ts
   * import { WriteFlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new WriteFlowControl({ size: () => 0, protocol: () => null });
   * console.log(flow.getLimits()); // { high: 65536, low: 16384 }: asyncio's defaults
   * ```
   */
  getLimits(): WriteBufferLimits {
    return { high: this.#high, low: this.#low };
  }

  /**
   * Sets the water marks with asyncio's rules, then pauses the protocol if the buffer is now above
   * the new high-water mark (asyncio's `set_write_buffer_limits` does not resume here either).
   *
   * @param limits The marks asked for; either may be left out.
   * @throws {RangeError} When the result breaks `high >= low >= 0`; the old marks stay.
   *
   * @example
   * ```ts
   * import { WriteFlowControl } from "@asyncstreams/protocol";
   *
   * const buffered = 1000;
   * const flow = new WriteFlowControl({ size: () => buffered, protocol: () => null });
   * flow.setLimits({ high: 512 }); // low defaults to high / 4
   * console.log(flow.getLimits()); // { high: 512, low: 128 }
   * console.log(flow.isPaused()); // true: 1000 bytes are above the new high-water mark
   * ```
   */
  setLimits(limits?: Partial<WriteBufferLimits>): void {
    const { high, low } = resolveWriteBufferLimits(limits);
    this.#high = high;
    this.#low = low;
    this.maybePause();
  }

  /**
   * Calls `pauseWriting()` once the buffer is strictly above the high-water mark.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol, WriteFlowControl } from "@asyncstreams/protocol";
   *
   * const protocol = new StreamReaderProtocol(new StreamReader());
   * let buffered = 8;
   * const flow = new WriteFlowControl({ size: () => buffered, protocol: () => protocol, limits: { high: 8 } });
   * flow.maybePause(); // a transport calls it after queuing bytes
   * console.log(protocol.isWritingPaused()); // false: at the high-water mark is not above it
   * buffered = 9;
   * flow.maybePause();
   * console.log(protocol.isWritingPaused()); // true
   * ```
   */
  maybePause(): void {
    if (this.#paused || this.#stopped || this.#size() <= this.#high) return;
    this.#paused = true;
    this.#protocol()?.pauseWriting();
  }

  /**
   * Calls `resumeWriting()` once the buffer is at or below the low-water mark.
   *
   * @example
   * ```ts
   * import { WriteFlowControl } from "@asyncstreams/protocol";
   *
   * let buffered = 9;
   * const flow = new WriteFlowControl({ size: () => buffered, protocol: () => null, limits: { high: 8, low: 2 } });
   * flow.maybePause();
   * buffered = 3;
   * flow.maybeResume(); // a transport calls it after bytes left its buffer
   * console.log(flow.isPaused()); // true: still above the low-water mark
   * buffered = 2;
   * flow.maybeResume();
   * console.log(flow.isPaused()); // false
   * ```
   */
  maybeResume(): void {
    if (!this.#paused || this.#stopped || this.#size() > this.#low) return;
    this.#paused = false;
    this.#protocol()?.resumeWriting();
  }

  /**
   * The connection is lost: no `pauseWriting()` or `resumeWriting()` follows, whatever the buffer
   * does (the protocol's `connectionLost()` releases the writer's waiters instead).
   *
   * @example
   * ```ts
   * import { WriteFlowControl } from "@asyncstreams/protocol";
   *
   * const flow = new WriteFlowControl({ size: () => 100, protocol: () => null, limits: { high: 10 } });
   * flow.stop(); // the connection is lost
   * flow.maybePause();
   * console.log(flow.isPaused()); // false: no pause or resume after stop()
   * ```
   */
  stop(): void {
    this.#stopped = true;
  }
}
