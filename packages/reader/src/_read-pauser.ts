import { NotImplementedError } from "@asyncstreams/buffer";
import { InvalidStateError } from "./invalid-state-error.js";
import type { ReadingTransport } from "./reading-transport.js";

/**
 * A `StreamReader`'s back-pressure on its transport, asyncio's rule: pause reading once strictly
 * more than `2 × limit` bytes are buffered, resume at or below `limit` (the hysteresis band is
 * `(limit, 2 × limit]`), and always resume before a read waits, which would otherwise deadlock.
 */
export class ReadPauser {
  readonly #limit: number;
  #transport: ReadingTransport | null = null;
  /** Whether this reader paused the transport (and so owes it a resume). */
  #paused = false;

  /** @param limit The reader's limit. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether the transport is paused by this reader. */
  get paused(): boolean {
    return this.#paused;
  }

  /** The transport, or `null` before `set()` or after it turned out unable to pause. */
  get transport(): ReadingTransport | null {
    return this.#transport;
  }

  /**
   * @param transport The transport feeding the reader.
   * @throws {InvalidStateError} When a transport was already set.
   */
  set(transport: ReadingTransport): void {
    if (this.#transport !== null) throw new InvalidStateError("Cannot set the transport: the reader already has one");
    this.#transport = transport;
  }

  /** @param transport The transport after an in-place upgrade; a pause in force carries over. */
  replace(transport: ReadingTransport): void {
    this.#transport = transport;
    if (this.#paused) transport.pauseReading();
  }

  /** @param buffered The bytes buffered after a feed. */
  pauseIfFull(buffered: number): void {
    const transport = this.#transport;
    if (transport === null || this.#paused || buffered <= 2 * this.#limit) return;
    try {
      transport.pauseReading();
      this.#paused = true;
    } catch (error) {
      // By brand, not identity: the transport may use another installed copy of @asyncstreams/buffer.
      if (!(error instanceof NotImplementedError)) throw error;
      this.#transport = null; // cannot pause: buffer everything and never try again
    }
  }

  /** @param buffered The bytes buffered after a read. */
  resumeIfLow(buffered: number): void {
    if (this.#paused && buffered <= this.#limit) this.resume();
  }

  /** Resumes a paused transport: before a read waits, whatever is buffered. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#transport!.resumeReading();
  }
}
