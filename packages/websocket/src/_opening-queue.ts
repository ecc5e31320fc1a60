/** Writes made while a socket is still opening, sent once it opens. */
export class OpeningQueue {
  #chunks: Uint8Array[] = [];
  #bytes = 0;

  /** The bytes queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Queues a copy of `data`: the caller may reuse its buffer before the socket opens. */
  push(data: Uint8Array): void {
    this.#chunks.push(new Uint8Array(data)); // not data.slice(): on a Node Buffer that is a view, not a copy
    this.#bytes += data.length;
  }

  /** Empties the queue. @returns What it held, in order. */
  take(): Uint8Array[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#bytes = 0;
    return chunks;
  }
}
