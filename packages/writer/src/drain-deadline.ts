// The public types name Disposable / Symbol.dispose: this directive, kept in the emitted .d.ts,
// brings TypeScript's declarations of them to every consumer, whatever its `lib` (ES2022 + DOM is enough).
/// <reference lib="esnext.disposable" preserve="true" />
import { disposeSymbol } from "./_dispose-symbol.js";
import { DrainTimeoutError } from "./drain-timeout-error.js";
import { checkOptions } from "./_check-options.js";

/** The longest delay timers accept (2^31 - 1 ms): Node fires a longer one after 1 ms instead. */
const MAX_DELAY = 2_147_483_647;
const ACTION = "Cannot make a drain deadline";
const OPTIONS = ["idle", "total", "signal"] as const;

/**
 * Options for {@linkcode drainDeadline}.
 */
export interface DrainDeadlineOptions {
  /**
   * Abort when bytes are waiting in the write buffer and none has left for this many milliseconds;
   * any byte leaving restarts it, and so does an empty buffer (nothing is stuck then). `Infinity`:
   * no idle limit.
   */
  idle?: number | undefined;
  /** Abort when this many milliseconds have passed, progress or not. `Infinity`: no total limit. */
  total?: number | undefined;
  /** Also abort when this signal does (with its reason). */
  signal?: AbortSignal | undefined;
}

/**
 * A deadline for `drain()`: its `signal` aborts with a {@linkcode DrainTimeoutError}. Dispose it
 * (or use `using`) when done, to clear its timers.
 */
export interface DrainDeadline extends Disposable {
  /** Pass it to `drain()` (and to writes' surrounding reads, if you like); it aborts when a limit expires. */
  readonly signal: AbortSignal;
  /** Clears the timers; the signal then never aborts on its own. */
  dispose(): void;
}

/**
 * What {@linkcode drainDeadline} watches: a `StreamWriter`, or anything with the same two counters.
 */
export interface DrainProgress {
  /** Bytes accepted for writing so far; only grows. */
  readonly bytesWritten: number;
  /** Bytes accepted and still waiting in the transport's buffer. */
  readonly bufferedLength: number;
  /**
   * Whether the connection is closing or lost: no new bytes can join the buffer then, so once it is
   * empty the `idle` limit stops watching (its timer would otherwise run until `dispose()`).
   */
  isClosing?(): boolean;
}

/**
 * Makes a deadline for writing that understands progress: the `idle` limit restarts whenever bytes
 * leave the writer's transport buffer, so a slow peer that keeps reading is never cut off, while a
 * peer that stopped reading (its receive window full, our buffer stuck above the high-water mark)
 * is. `total` bounds the whole exchange. Pass `deadline.signal` to `drain()`: an aborted drain
 * rejects with the {@linkcode DrainTimeoutError} and the connection is left as it was, for the
 * caller to close or abort.
 *
 * Progress is `bytesWritten - bufferedLength` (the bytes that have left the buffer), sampled four
 * times per `idle` period on a timer: the write path pays nothing, and the limit fires between
 * `idle` and 1.25 × `idle` after the last byte left. (A transport has no "bytes left" event to
 * listen to, and counting on every write completion would tax the hot path for a timeout.)
 *
 * Over TCP the kernel's send and receive buffers (megabytes on a fast link) sit between this
 * buffer and the peer's reads, and a peer that reads slowly frees its window in large steps: pick
 * `idle` long enough for the peer to read through them at the slowest rate you accept.
 *
 * @param writer What to watch: a `StreamWriter`, or anything with `bytesWritten` and `bufferedLength`.
 * @param options `idle` and `total` in milliseconds, and an outer `signal`.
 * @returns The deadline; pass `deadline.signal` to `drain()`.
 * @throws {RangeError} When `idle` or `total` is not a positive number of milliseconds (at most 2^31 - 1).
 * @throws {TypeError} When `writer` lacks the two counters, `options` is not an object or names an
 *   unknown option (a misspelled `idle` would leave the drain unbounded), or `signal` is not an
 *   `AbortSignal`.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
 * import { drainDeadline } from "@asyncstreams/writer";
 *
 * const [left, right] = memoryTransportPair();
 * const { writer } = createStreams(left);
 * const peer = createStreams(right);
 * using deadline = drainDeadline(writer, { idle: 5_000, total: 30_000 });
 * writer.write(new Uint8Array(1 << 20));
 * const drained = writer.drain({ signal: deadline.signal });
 * await peer.reader.readExactly(1 << 20); // the peer reads, so the buffer empties in time
 * await drained;
 * ```
 */
export function drainDeadline(writer: DrainProgress, options: DrainDeadlineOptions): DrainDeadline {
  const counters = writer as Partial<DrainProgress> | null;
  if (typeof counters?.bytesWritten !== "number" || typeof counters.bufferedLength !== "number")
    throw new TypeError(`${ACTION}: writer should be a StreamWriter, or have numeric bytesWritten and bufferedLength`);
  checkOptions(ACTION, options, OPTIONS);
  const { idle, total, signal } = options;
  checkLimit("idle", idle);
  checkLimit("total", total);
  const controller = new AbortController();
  let totalTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setInterval> | undefined;

  const dispose = (): void => {
    if (totalTimer !== undefined) clearTimeout(totalTimer);
    if (idleTimer !== undefined) clearInterval(idleTimer);
    totalTimer = idleTimer = undefined;
    signal?.removeEventListener("abort", onOuterAbort);
  };
  const expire = (reason: unknown): void => {
    dispose(); // before abort(): a listener that throws must not leave a timer running
    controller.abort(reason);
  };
  const onOuterAbort = (): void => expire(signal!.reason);

  if (signal?.aborted === true) {
    controller.abort(signal.reason);
  } else {
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    if (total !== undefined && total !== Infinity)
      totalTimer = setTimeout(() => expire(new DrainTimeoutError("total", total)), total);
    if (idle !== undefined && idle !== Infinity) {
      const tick = idle / 4;
      let sent = writer.bytesWritten - writer.bufferedLength;
      let stalled = 0;
      idleTimer = setInterval(() => {
        const buffered = writer.bufferedLength;
        if (buffered === 0 && writer.isClosing?.() === true) {
          // Nothing is stuck and nothing more can be: the idle limit can never fire again.
          clearInterval(idleTimer);
          idleTimer = undefined;
          return;
        }
        const now = writer.bytesWritten - buffered;
        // An empty buffer is not a stall: the application simply has nothing to send right now.
        if (now !== sent || buffered === 0) {
          sent = now;
          stalled = 0;
        } else if ((stalled += tick) >= idle) {
          expire(new DrainTimeoutError("idle", idle));
        }
      }, tick);
    }
  }
  return { signal: controller.signal, dispose, [disposeSymbol]: dispose };
}

function checkLimit(name: string, value: number | undefined): void {
  if (value === undefined || (typeof value === "number" && value > 0 && (value <= MAX_DELAY || value === Infinity)))
    return;
  // The project's grammar (readDeadline() and every number option): a TypeError for a wrong type,
  // with a string quoted so that "5" does not read as 5; a RangeError for a number out of range.
  if (typeof value !== "number") {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    throw new TypeError(`${ACTION}: ${name} should be a number, got ${shown} (${typeof value})`);
  }
  throw new RangeError(
    `${ACTION}: ${name} should be a positive number of milliseconds up to ${MAX_DELAY}, or Infinity for none, got ${value}`,
  );
}
