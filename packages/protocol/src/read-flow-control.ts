/**
 * What {@linkcode ReadFlowControl} needs from its transport.
 */
export interface ReadFlowControlOptions {
  /** Whether the transport is closing: pausing and resuming do nothing then (asyncio's rule). */
  readonly closing: () => boolean;
  /**
   * Hands on what the transport holds and reads on. Called in a microtask after a resume (the
   * reader resumes from inside a read, and a protocol must never be re-entered), and only if
   * reading is still on then.
   */
  readonly deliver: () => void;
  /** Tells the source to stop sending, when it can be told (`ws`'s `pause()`). */
  readonly pauseSource?: (() => void) | undefined;
  /** Tells the source to send again, synchronously at `resumeReading()` (`ws`'s `resume()`). */
  readonly resumeSource?: (() => void) | undefined;
}

/**
 * The read half of asyncio's flow control, shared by transports: `isReading()`, `pauseReading()`
 * and `resumeReading()` with asyncio's rules (both are no-ops while closing or when already in
 * that state), and delivery resumed in a later microtask, never inside the call. A transport keeps
 * its own source and what it holds; this keeps the switch, so that every transport agrees on it.
 *
 * @example
 * ```ts
 * import { ReadFlowControl } from "@asyncstreams/protocol";
 *
 * const held: string[] = ["a", "b"];
 * const reading = new ReadFlowControl({
 *   closing: () => false,
 *   deliver: () => {
 *     while (reading.isReading() && held.length > 0) console.log(held.shift());
 *   },
 * });
 * reading.pause();
 * console.log(reading.isReading()); // false
 * reading.resume(); // "a", then "b", in a microtask
 * ```
 */
export class ReadFlowControl {
  readonly #closing: () => boolean;
  readonly #deliver: () => void;
  readonly #pauseSource: (() => void) | undefined;
  readonly #resumeSource: (() => void) | undefined;
  #paused = false;

  /** @param options The transport's closing state, its delivery, and its source's pause and resume. */
  constructor(options: ReadFlowControlOptions) {
    this.#closing = options.closing;
    this.#deliver = options.deliver;
    this.#pauseSource = options.pauseSource;
    this.#resumeSource = options.resumeSource;
  }

  /**
   * Tells whether the reader asked for a pause that is still on (whatever `closing` says).
   *
   * @returns `true` between `pause()` and `resume()`.
   *
   * @example
   * ```ts
   * import { ReadFlowControl } from "@asyncstreams/protocol";
   *
   * const reading = new ReadFlowControl({ closing: () => false, deliver: () => console.log("deliver") });
   * reading.pause();
   * console.log(reading.isPaused()); // true
   * ```
   */
  isPaused(): boolean {
    return this.#paused;
  }

  /**
   * asyncio's `is_reading()`.
   *
   * @returns `true` unless paused or closing.
   *
   * @example
   * ```ts
   * import { ReadFlowControl } from "@asyncstreams/protocol";
   *
   * const reading = new ReadFlowControl({ closing: () => false, deliver: () => console.log("deliver") });
   * console.log(reading.isReading()); // true
   * ```
   */
  isReading(): boolean {
    return !this.#paused && !this.#closing();
  }

  /**
   * asyncio's `pause_reading()`: a no-op while closing or already paused.
   *
   * @example
   * ```ts
   * import { ReadFlowControl } from "@asyncstreams/protocol";
   *
   * const reading = new ReadFlowControl({ closing: () => false, deliver: () => console.log("deliver") });
   * reading.pause();
   * console.log(reading.isReading()); // false
   * ```
   */
  pause(): void {
    if (this.#paused || this.#closing()) return;
    this.#paused = true;
    this.#pauseSource?.();
  }

  /**
   * asyncio's `resume_reading()`: a no-op while closing or not paused; delivery goes on in a microtask.
   *
   * @example
   * ```ts
   * import { ReadFlowControl } from "@asyncstreams/protocol";
   *
   * const reading = new ReadFlowControl({ closing: () => false, deliver: () => console.log("deliver") });
   * reading.pause();
   * reading.resume();
   * console.log(reading.isReading()); // true
   * await Promise.resolve(); // "deliver" is printed here, in a later microtask
   * ```
   */
  resume(): void {
    if (!this.#paused || this.#closing()) return;
    this.#paused = false;
    this.#resumeSource?.();
    queueMicrotask(this.#afterResume);
  }

  readonly #afterResume = (): void => {
    if (this.#paused || this.#closing()) return; // paused again, or closed, before this turn came
    this.#deliver();
  };
}
