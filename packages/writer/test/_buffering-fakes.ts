import { FakeProtocol, FakeTransport } from "./_fakes.js";

/**
 * A fake transport with a write buffer: writes add to it, `send(n)` takes bytes out (the peer
 * read them), and the protocol is paused above `high` and resumed at `low`, as a socket transport
 * does. `lose()` drops the buffer, as asyncio does when the connection is lost.
 */
export class BufferingTransport extends FakeTransport {
  buffered = 0;
  readonly #protocol: FakeProtocol;
  readonly #high: number;
  readonly #low: number;

  constructor(protocol: FakeProtocol, limits: { high: number; low: number } = { high: 64, low: 16 }) {
    super("buffering");
    this.#protocol = protocol;
    this.#high = limits.high;
    this.#low = limits.low;
  }

  override write(data: Uint8Array): void {
    super.write(data);
    this.#add(data.length);
  }

  override writeLines(chunks: Iterable<Uint8Array>): void {
    const list = [...chunks];
    super.writeLines(list);
    for (const chunk of list) this.#add(chunk.length);
  }

  /** The peer takes `n` bytes (or everything): the buffer shrinks, maybe resuming the protocol. */
  send(n = this.buffered): void {
    this.buffered -= Math.min(n, this.buffered);
    if (this.#protocol.paused && this.buffered <= this.#low) this.#protocol.resumeWriting();
  }

  lose(): void {
    this.buffered = 0;
    this.closing = true;
    this.#protocol.connectionLost(undefined);
  }

  getWriteBufferSize(): number {
    return this.buffered;
  }

  #add(length: number): void {
    this.buffered += length;
    if (!this.#protocol.paused && this.buffered > this.#high) this.#protocol.pauseWriting();
  }
}

/** A protocol that reports its pause state, as `WriterProtocol.isWritingPaused` asks. */
export class ReportingProtocol extends FakeProtocol {
  isWritingPaused(): boolean {
    return this.paused;
  }
}
