// The public types name Disposable / Symbol.dispose: this directive, kept in the emitted .d.ts,
// brings TypeScript's declarations of them to every consumer, whatever its `lib` (ES2022 + DOM is enough).
/// <reference lib="esnext.disposable" preserve="true" />
import { disposeSymbol } from "./_dispose-symbol.js";
import { ReadTimeoutError } from "./read-timeout-error.js";
import { timeoutError } from "./_check-number.js";
import { optionsError } from "./_options-error.js";

const ACTION = "Cannot make a read deadline";
const DEADLINE_OPTIONS = ["idle", "total", "signal"] as const;

/**
 * Options for {@linkcode readDeadline}.
 */
export interface ReadDeadlineOptions {
  /** Abort when no byte has arrived for this many milliseconds; any arriving byte restarts it. */
  idle?: number | undefined;
  /** Abort when this many milliseconds have passed, progress or not. */
  total?: number | undefined;
  /** Also abort when this signal does (with its reason). */
  signal?: AbortSignal | undefined;
}

/**
 * A deadline for reads: its `signal` aborts with a {@linkcode ReadTimeoutError}. Dispose it (or
 * use `using`) when done, to clear its timers.
 */
export interface ReadDeadline extends Disposable {
  /** Pass it to reads (and `drain()`); it aborts when a limit expires. */
  readonly signal: AbortSignal;
  /** Clears the timers; the signal then never aborts on its own. */
  dispose(): void;
}

/**
 * Makes a deadline that understands progress: the `idle` limit restarts whenever bytes arrive on
 * `reader` (watched through `reader.bytesReceived`, checked four times per `idle` period, so it
 * fires between `idle` and 1.25 × `idle` after the last byte), and `total` bounds the whole
 * exchange. Because an aborted read consumes nothing, a timed-out read loses no byte: the caller may
 * read again, or close the connection. This is how to shed slowloris peers that trickle a byte
 * at a time without ever finishing a line.
 *
 * @param reader What to watch for progress: anything with a growing `bytesReceived`.
 * @param options `idle` and `total` in milliseconds, and an outer `signal`.
 * @returns The deadline; pass `deadline.signal` to reads.
 * @throws {RangeError} When `idle` or `total` is not a positive number.
 * @throws {TypeError} When `reader` has no `bytesReceived`, `options` is not an object or names an
 *   unknown option (a misspelled `idle` would leave the reads unbounded), or `signal` is not an
 *   `AbortSignal`.
 *
 * @example
 * ```ts
 * import { StreamReader, readDeadline } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * const deadline = readDeadline(reader, { idle: 5_000, total: 30_000 });
 * try {
 *   const header = reader.readUntil(new TextEncoder().encode("\r\n\r\n"), { signal: deadline.signal });
 *   reader.feedData(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
 *   console.log((await header).length); // 18
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export function readDeadline(reader: { readonly bytesReceived: number }, options: ReadDeadlineOptions): ReadDeadline {
  const counter = reader as { bytesReceived?: unknown } | null;
  if (typeof counter?.bytesReceived !== "number")
    throw new TypeError(`${ACTION}: reader should be a StreamReader, or have a numeric bytesReceived`);
  const optionsFault = optionsError(ACTION, options, DEADLINE_OPTIONS);
  if (optionsFault !== undefined) throw optionsFault;
  const { idle, total, signal } = options;
  for (const [name, value] of [
    ["idle", idle],
    ["total", total],
  ] as const) {
    const error = value === undefined ? undefined : timeoutError(ACTION, name, value);
    if (error !== undefined) throw error;
  }
  const controller = new AbortController();
  const timers: ReturnType<typeof setTimeout>[] = [];
  let idleTimer: ReturnType<typeof setInterval> | undefined;
  const dispose = (): void => {
    for (const timer of timers) clearTimeout(timer);
    if (idleTimer !== undefined) clearInterval(idleTimer);
    signal?.removeEventListener("abort", onOuterAbort);
  };
  const abort = (reason: unknown): void => {
    dispose();
    controller.abort(reason);
  };
  const onOuterAbort = (): void => abort(signal!.reason);
  if (signal?.aborted === true) {
    controller.abort(signal.reason);
  } else {
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    if (total !== undefined && total !== Infinity)
      timers.push(setTimeout(() => abort(new ReadTimeoutError("total", total)), total));
    if (idle !== undefined && idle !== Infinity) {
      let seen = reader.bytesReceived;
      let quiet = 0;
      const step = idle / 4;
      idleTimer = setInterval(() => {
        const now = reader.bytesReceived;
        if (now !== seen) {
          seen = now;
          quiet = 0;
        } else if ((quiet += step) >= idle) {
          abort(new ReadTimeoutError("idle", idle));
        }
      }, step);
    }
  }
  return { signal: controller.signal, dispose, [disposeSymbol]: dispose };
}
