import type { ReadingTransport, StreamReader } from "@asyncstreams/reader";
import { eventLoopTurn, text } from "@asyncstreams/test-utils";

/** CPython's `DATA` fixture: 18 bytes, three lines. */
export const DATA = "line1\nline2\nline3\n";

/** The reader's buffered bytes as a string (CPython's `stream._buffer`). */
export function buffered(reader: StreamReader): string {
  return text(reader.bufferedBytes());
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
    await eventLoopTurn();
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
