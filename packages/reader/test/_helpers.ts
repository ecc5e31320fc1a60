import type { ReadingTransport, StreamReader } from "@asyncstreams/reader";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `b"..."`: the ASCII/UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The bytes as a string, for readable assertions on ASCII data. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/** CPython's `DATA` fixture: 18 bytes, three lines. */
export const DATA = "line1\nline2\nline3\n";

/** The reader's buffered bytes as a string (CPython's `stream._buffer`). */
export function buffered(reader: StreamReader): string {
  return text(reader.bufferedBytes());
}

/**
 * Lets every pending promise continuation run: the reader is promise-based only, so a bounded
 * number of microtask turns is enough for a woken read to scan, consume and settle.
 */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

/** The state of a promise, readable synchronously after `settle()`. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
  readonly rejected: boolean;
}

/** Records how a promise settles, without leaving a rejection unhandled. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = {
    promise,
    settled: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
    rejected: false,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}

/** A promise's rejection reason; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`Expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A transport that records `pauseReading()` / `resumeReading()` calls. */
export class FakeTransport implements ReadingTransport {
  readonly calls: ("pause" | "resume")[] = [];
  paused = false;

  pauseReading(): void {
    this.calls.push("pause");
    this.paused = true;
  }

  resumeReading(): void {
    this.calls.push("resume");
    this.paused = false;
  }

  toString(): string {
    return "<Transport>";
  }
}

/**
 * Feeds `chunks` (then EOF) into `reader`, but only while `transport` is not paused, settling after
 * each step, as a real transport that honours back-pressure would. Bounded: throws when the
 * transport stays paused for many turns (a deadlock).
 *
 * @returns How many turns the feeder spent waiting for a resume.
 */
export async function feedRespectingPause(
  reader: StreamReader,
  transport: FakeTransport,
  chunks: readonly Uint8Array[],
): Promise<number> {
  let pausedTurns = 0;
  let idle = 0;
  for (let next = 0; next <= chunks.length; ) {
    if (transport.paused) {
      pausedTurns++;
      if (++idle > 1000) throw new Error(`Deadlock: the transport stayed paused (${String(reader)})`);
    } else {
      idle = 0;
      if (next === chunks.length) reader.feedEof();
      else reader.feedData(chunks[next]!);
      next++;
    }
    await settle();
  }
  return pausedTurns;
}

/** A `RuntimeError` as CPython names it, for `repr()`-style assertions. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** A `ValueError` as CPython names it. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** Every way to cut `data` into chunks that the sweeps use: whole, two pieces at every offset, 1-byte pieces. */
export function splits(data: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[data]];
  for (let at = 1; at < data.length; at++) out.push([data.subarray(0, at), data.subarray(at)]);
  if (data.length > 2) out.push(Array.from(data, (byte) => new Uint8Array([byte])));
  return out;
}

/** Describes a chunking for failure messages: `"li|ne1"`. */
export function describeChunks(chunks: readonly Uint8Array[]): string {
  return chunks.map((chunk) => JSON.stringify(text(chunk))).join("|");
}
