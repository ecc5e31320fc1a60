import type { Protocol } from "@asyncstreams/protocol";

/** What came in, in order: bytes, or the end of the connection (`error` undefined when clean). */
type Incoming = { readonly data: Uint8Array } | { readonly end: true; readonly error: unknown };

/** Where an {@linkcode IncomingQueue} hands what it holds: its transport. */
export interface IncomingSink {
  /** The protocol to hand data to now; `null` while reading is off or there is none yet. */
  readingProtocol(): Protocol | null;
  /** The end reached the front of the queue: the connection is lost now, after all its data. */
  ended(error: unknown): void;
  /** The protocol's `dataReceived()` threw (asyncio's `_fatal_error`: that ends the connection). */
  failed(error: unknown): void;
}

/**
 * What a `WebSocketTransport` received and has not handed on yet, in order, the end included: a
 * paused reader (or one not attached yet) gets it all later, then the end, as with TCP.
 */
export class IncomingQueue {
  readonly #sink: IncomingSink;
  #items: Incoming[] = [];
  #heldBytes = 0;
  #delivering = false;

  constructor(sink: IncomingSink) {
    this.#sink = sink;
  }

  /** The bytes held. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Whether nothing is held. */
  get isEmpty(): boolean {
    return this.#items.length === 0;
  }

  /** Holds `data` (the queue keeps it) and hands on what it can. */
  pushData(data: Uint8Array): void {
    this.#items.push({ data });
    this.#heldBytes += data.length;
    this.deliver();
  }

  /** Holds the end, behind the data, and hands on what it can. */
  pushEnd(error: unknown): void {
    this.#items.push({ end: true, error });
    this.deliver();
  }

  /** Drops everything held (the transport is closing: asyncio stops reading at once). */
  clear(): void {
    this.#items = [];
    this.#heldBytes = 0;
  }

  /** Hands what is held to the protocol, in order, while reading is on; never re-entered. */
  deliver(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (;;) {
        const protocol = this.#sink.readingProtocol();
        if (protocol === null) break;
        const next = this.#items.shift();
        if (next === undefined) break;
        if ("end" in next) {
          this.#sink.ended(next.error);
          break;
        }
        this.#heldBytes -= next.data.length;
        try {
          protocol.dataReceived(next.data);
        } catch (error) {
          this.#sink.failed(error);
          break;
        }
      }
    } finally {
      this.#delivering = false;
    }
  }
}
