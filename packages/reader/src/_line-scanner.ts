import type { ByteBuffer } from "@asyncstreams/buffer";
import { LimitOverrunError } from "./limit-overrun-error.js";
import type { OverflowPolicy } from "./overflow-policy.js";
import type { ReadPauser } from "./_read-pauser.js";

const NOT_FOUND = "Separator is not found, and chunk exceed the limit";
const FOUND_TOO_LONG = "Separator is found, but chunk is longer than limit";
/** What to do about an overrun, appended to asyncio's message (which says only what went wrong). */
const OVERRUN_ADVICE =
  'raise the reader\'s limit option, or pass overflow: "skip" or "chunk" to drop or split long lines';

/**
 * The separator search of a `StreamReader`'s `readUntil()` and `readLine()` slow path: asyncio's
 * `readuntil()` loop without its waits, plus the overflow policies for a line over the limit.
 *
 * Each scan resumes where the read's last one stopped, so each buffered byte is searched once however
 * the data arrives. The read keeps that offset, not the scanner: a refused second read cannot move
 * it. (A second read that takes bytes from the buffer meanwhile leaves it stale, as in asyncio.)
 *
 * The scanner holds the `"skip"` policy's state across reads: an aborted or failed `"skip"` read
 * leaves the rest of its over-long line to be discarded by the next one. The reader refuses a second
 * read that would scan with it while another waits (see `StreamReader`'s `#readUntil`).
 *
 * The reader owns the buffer and the back-pressure; this discards from the buffer and lets the
 * pauser resume the transport when that brings the buffer low enough.
 */
export class LineScanner {
  readonly #buffer: ByteBuffer;
  readonly #limit: number;
  readonly #pauser: ReadPauser;
  /** Over-long lines or chunks discarded by the "skip" policy. */
  #skippedCount = 0;
  /**
   * Inside an over-long line that a "skip" read was discarding when it was aborted or failed: the
   * next "skip" read goes on discarding through the separator instead of returning the line's tail.
   * The reader clears it whenever it hands bytes to a caller.
   */
  skipping = false;
  /**
   * @param buffer The reader's buffer.
   * @param limit The reader's limit.
   * @param pauser The reader's back-pressure, told after each discard.
   */
  constructor(buffer: ByteBuffer, limit: number, pauser: ReadPauser) {
    this.#buffer = buffer;
    this.#limit = limit;
    this.#pauser = pauser;
  }

  /** Over-long lines or chunks skipped so far. */
  get skippedCount(): number {
    return this.#skippedCount;
  }

  /**
   * Begins a read.
   *
   * @param overflow The read's policy; any but `"skip"` reads the rest of a half-skipped line as it is.
   */
  start(overflow: OverflowPolicy): void {
    if (overflow !== "skip") this.skipping = false;
  }

  /**
   * Searches what is buffered, discarding what the `"skip"` policy drops.
   *
   * @param separators Validated, sorted from shortest to longest.
   * @param overflow What to do about a line over the limit.
   * @param received The reader's `bytesReceived`, for the overrun's stream position.
   * @param from Where to search from: 0 at a read's start, then what the last scan returned.
   * @returns How many front bytes the read takes (> 0: through the first separator, or `limit`
   *   bytes under `"chunk"`), or, when it needs more data, `-1 - from` for the next scan (< 0: the
   *   front bytes known not to hold the start of any match, which are never searched again).
   * @throws {LimitOverrunError} Under `"error"`, with asyncio's message and `consumed`; nothing is
   *   discarded (`readLine()` then discards as asyncio does).
   */
  scan(separators: readonly Uint8Array[], overflow: OverflowPolicy, received: number, from: number): number {
    const buffer = this.#buffer;
    const limit = this.#limit;
    const shortest = separators[0]!.length;
    const longest = separators[separators.length - 1]!.length;
    let offset = from;
    for (;;) {
      const length = buffer.length;
      if (length - offset < shortest) return -1 - offset;
      const match = buffer.findFirst(separators, offset);
      if (match === undefined) {
        offset = Math.max(0, length + 1 - longest);
        if (this.skipping) offset = this.discard(offset);
        else if (offset > limit) {
          if (overflow === "chunk") return limit; // holds no separator start
          if (overflow === "error") throw this.#overrun(NOT_FOUND, offset, received);
          this.#skippedCount++;
          this.skipping = true;
          offset = this.discard(offset);
        }
        return -1 - offset;
      }
      if (!this.skipping && match.start <= limit) return match.end;
      if (!this.skipping && overflow !== "skip") {
        if (overflow === "chunk") return limit;
        throw this.#overrun(FOUND_TOO_LONG, match.start, received);
      }
      if (!this.skipping) this.#skippedCount++;
      this.skipping = false;
      offset = this.discard(match.end); // and on: the next line may be buffered already
    }
  }

  /** At EOF, after a scan that found nothing: an unterminated over-long line being skipped goes whole. */
  end(): void {
    if (this.skipping) this.discard(this.#buffer.length);
    this.skipping = false;
  }

  /**
   * Drops `n` front bytes (an over-long line) and resumes the transport if the buffer fell low enough.
   *
   * @param n How many.
   * @returns The new search offset, 0.
   */
  discard(n: number): number {
    this.#buffer.discard(n);
    this.#pauser.resumeIfLow(this.#buffer.length);
    return 0;
  }

  /**
   * asyncio's error, with the stream position of the over-long chunk (the buffer's front). The
   * message starts with asyncio's words (code matching on them keeps working), then names the
   * limit and what to change.
   */
  #overrun(message: string, consumed: number, received: number): LimitOverrunError {
    return new LimitOverrunError(
      `${message} (limit ${this.#limit}): ${OVERRUN_ADVICE}`,
      consumed,
      received - this.#buffer.length,
    );
  }
}
