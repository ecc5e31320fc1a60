import { MemoryTransport } from "@asyncstreams/protocol";
import type { Protocol, Transport, WriteBufferLimits } from "@asyncstreams/protocol";

/** One way to break asyncio's transport contract, for checking that the conformance kit notices. */
export type Fault =
  | "reuses-chunks"
  | "drops-bytes"
  | "lost-twice"
  | "ignores-pause-reading"
  | "never-pauses-writing"
  | "late-connection-lost"
  | "throws-after-close"
  | "swallows-callback-errors"
  | "leaks-rejection"
  | "refuses-eof-silently"
  | "eof-twice";

/** A memory transport with one fault injected between it and its protocol. */
export class FaultyTransport implements Transport {
  readonly #inner: MemoryTransport;
  readonly #fault: Fault;
  #protocol: Protocol | null = null;
  #scratch = new Uint8Array(1 << 20);
  #pausedByUser = false;
  #delivered = 0;

  constructor(inner: MemoryTransport, fault: Fault) {
    this.#inner = inner;
    this.#fault = fault;
  }

  static pair(fault: Fault): [FaultyTransport, FaultyTransport] {
    const [left, right] = MemoryTransport.pair();
    return [new FaultyTransport(left, fault), new FaultyTransport(right, fault)];
  }

  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
    const fault = this.#fault;
    const forward = (): Protocol => this.#protocol!;
    this.#inner.setProtocol({
      connectionMade: () => undefined,
      dataReceived: (data) => {
        let chunk = data;
        if (fault === "reuses-chunks") {
          this.#scratch.set(data);
          chunk = this.#scratch.subarray(0, data.length);
        }
        if (fault === "drops-bytes" && ++this.#delivered % 50 === 0) chunk = chunk.subarray(1);
        if (fault === "swallows-callback-errors") {
          try {
            forward().dataReceived(chunk);
          } catch {
            // the fault: the error is lost instead of failing the connection
          }
          return;
        }
        forward().dataReceived(chunk);
      },
      eofReceived: () => {
        if (fault === "eof-twice") forward().eofReceived();
        return forward().eofReceived();
      },
      connectionLost: (error) => {
        const lost = (): void => {
          forward().connectionLost(error);
          if (fault === "lost-twice") forward().connectionLost(error);
        };
        if (fault === "late-connection-lost") setTimeout(lost, 10);
        else lost();
      },
      pauseWriting: () => {
        if (fault !== "never-pauses-writing") forward().pauseWriting();
      },
      resumeWriting: () => {
        if (fault !== "never-pauses-writing") forward().resumeWriting();
      },
    });
  }

  getProtocol(): Protocol | null {
    return this.#protocol;
  }

  getExtraInfo(name: string): unknown {
    return this.#inner.getExtraInfo(name);
  }

  isClosing(): boolean {
    return this.#inner.isClosing();
  }

  isReading(): boolean {
    if (this.#fault === "ignores-pause-reading") return !this.#pausedByUser && !this.isClosing();
    return this.#inner.isReading();
  }

  pauseReading(): void {
    this.#pausedByUser = true;
    if (this.#fault !== "ignores-pause-reading") this.#inner.pauseReading();
  }

  resumeReading(): void {
    this.#pausedByUser = false;
    if (this.#fault !== "ignores-pause-reading") this.#inner.resumeReading();
  }

  write(data: Uint8Array): void {
    if (this.#fault === "throws-after-close" && this.isClosing())
      throw new Error("Cannot write: the transport is closed");
    this.#inner.write(data);
  }

  writeLines(chunks: Iterable<Uint8Array>): void {
    for (const chunk of chunks) this.write(chunk);
  }

  writeEof(): void {
    if (this.#fault === "refuses-eof-silently") return;
    this.#inner.writeEof();
  }

  canWriteEof(): boolean {
    return this.#fault !== "refuses-eof-silently";
  }

  close(): void {
    this.#inner.close();
  }

  abort(): void {
    if (this.#fault === "leaks-rejection") void Promise.reject(new Error("a leaked rejection"));
    this.#inner.abort();
  }

  getWriteBufferSize(): number {
    return this.#inner.getWriteBufferSize();
  }

  getWriteBufferLimits(): WriteBufferLimits {
    return this.#inner.getWriteBufferLimits();
  }

  setWriteBufferLimits(limits?: Partial<WriteBufferLimits>): void {
    this.#inner.setWriteBufferLimits(limits);
  }
}
