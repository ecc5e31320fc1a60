import type { Protocol } from "../protocol.js";
import type { Transport } from "../transport.js";
import { concat, sameBytes } from "./_bytes.js";
import { describe } from "./_describe.js";

/**
 * A protocol that records every callback of one end and notes each broken ordering rule as a
 * violation instead of throwing (a throw would become the transport's fatal error). With `forward`
 * it passes every callback on, so it can spy on a `StreamReaderProtocol`.
 */
export class Recorder implements Protocol {
  readonly name: string;
  readonly #forward: Protocol | undefined;
  transport: Transport | null = null;
  /** The chunks as received (kept, to check that the transport never changes them later). */
  readonly chunks: Uint8Array[] = [];
  /** Copies made on receipt. */
  readonly #copies: Uint8Array[] = [];
  bytes = 0;
  eofCount = 0;
  lostCount = 0;
  readonly lostWith: unknown[] = [];
  /** What `eofReceived()` returns when nothing is forwarded: `true` keeps the end half-open. */
  eofResult: boolean | undefined = true;
  /** Thrown from the next `dataReceived()`, when set. */
  throwOnData: Error | undefined = undefined;
  /** The kit called `close()` or `abort()` on this end: nothing may be delivered any more. */
  closedLocally = false;
  /** The kit paused reading on this end: `dataReceived()` must not come. */
  readingPaused = false;
  writingPaused = false;
  readonly pauseSizes: number[] = [];
  readonly resumeSizes: number[] = [];
  readonly violations: string[] = [];
  #made = false;

  constructor(name: string, forward?: Protocol) {
    this.name = name;
    this.#forward = forward;
  }

  /** Every byte received, in order, as it was on receipt. */
  received(): Uint8Array {
    return concat(this.#copies);
  }

  connectionMade(transport: Transport): void {
    if (this.#made) this.#violation("connectionMade() was called twice");
    this.#made = true;
    this.transport = transport;
    this.#forward?.connectionMade(transport);
  }

  dataReceived(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      this.#violation(`dataReceived() got ${describe(data)}, not a Uint8Array`);
      return;
    }
    if (data.length === 0) this.#violation("dataReceived() got an empty chunk");
    if (this.lostCount > 0) this.#violation("dataReceived() came after connectionLost()");
    else if (this.eofCount > 0) this.#violation("dataReceived() came after eofReceived()");
    else if (this.closedLocally) this.#violation("dataReceived() came after close() or abort() on this end");
    else if (this.readingPaused) this.#violation("dataReceived() came while reading was paused");
    this.chunks.push(data);
    this.#copies.push(data.slice());
    this.bytes += data.length;
    const error = this.throwOnData;
    if (error !== undefined) {
      this.throwOnData = undefined;
      throw error;
    }
    this.#forward?.dataReceived(data);
  }

  eofReceived(): boolean | undefined | void {
    this.eofCount += 1;
    if (this.eofCount > 1) this.#violation(`eofReceived() was called ${this.eofCount} times; expected at most once`);
    if (this.lostCount > 0) this.#violation("eofReceived() came after connectionLost()");
    else if (this.closedLocally) this.#violation("eofReceived() came after close() or abort() on this end");
    return this.#forward !== undefined ? this.#forward.eofReceived() : this.eofResult;
  }

  connectionLost(error: unknown): void {
    this.lostCount += 1;
    this.lostWith.push(error);
    if (this.lostCount > 1)
      this.#violation(`connectionLost() was called ${this.lostCount} times; expected exactly once`);
    this.#forward?.connectionLost(error);
  }

  pauseWriting(): void {
    if (this.lostCount > 0) this.#violation("pauseWriting() came after connectionLost()");
    if (this.writingPaused) this.#violation("pauseWriting() was called twice without resumeWriting() in between");
    this.writingPaused = true;
    this.pauseSizes.push(this.transport?.getWriteBufferSize() ?? Number.NaN);
    this.#forward?.pauseWriting();
  }

  resumeWriting(): void {
    if (!this.writingPaused) this.#violation("resumeWriting() was called without a pauseWriting() before it");
    this.writingPaused = false;
    this.resumeSizes.push(this.transport?.getWriteBufferSize() ?? Number.NaN);
    this.#forward?.resumeWriting();
  }

  /**
   * Throws when a rule was broken: a violation, `connectionLost()` not exactly once (when
   * `lostOnce`), or a received chunk that changed after it was delivered (the transport or its
   * source reused the memory: the protocol owns each chunk).
   */
  check(lostOnce: boolean): void {
    const problems = [...this.violations];
    if (lostOnce && this.lostCount !== 1)
      problems.push(`connectionLost() was called ${this.lostCount} times; expected exactly once`);
    for (let index = 0; index < this.chunks.length; index++) {
      if (!sameBytes(this.chunks[index]!, this.#copies[index]!)) {
        problems.push(
          `the chunk given to dataReceived() #${index + 1} changed after it was delivered: a received chunk must be owned by the protocol (copy it if the source reuses its memory)`,
        );
        break;
      }
    }
    if (problems.length > 0) throw new Error(`End ${this.name}: ${[...new Set(problems)].join("; ")}`);
  }

  #violation(text: string): void {
    this.violations.push(text);
  }
}
