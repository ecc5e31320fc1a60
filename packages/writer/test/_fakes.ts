import { ConnectionLostError } from "@asyncstreams/writer";
import type { StartTlsOptions, WriterProtocol, WriterTransport } from "@asyncstreams/writer";

/**
 * A write transport that records what it is asked to do. `close()` calls `onClose` (set by
 * {@linkcode connect}) so that a protocol learns of the loss the way a real transport tells it.
 */
export class FakeTransport implements WriterTransport {
  readonly calls: string[] = [];
  readonly written: Uint8Array[] = [];
  readonly lines: Uint8Array[][] = [];
  closing = false;
  eofSupported = true;
  onClose: (() => void) | null = null;
  readonly #name: string;
  readonly #extraInfo: Record<string, unknown>;

  constructor(name = "fake", extraInfo: Record<string, unknown> = {}) {
    this.#name = name;
    this.#extraInfo = extraInfo;
  }

  write(data: Uint8Array): void {
    this.calls.push("write");
    this.written.push(data);
  }

  writeLines(chunks: Iterable<Uint8Array>): void {
    this.calls.push("writeLines");
    this.lines.push([...chunks]);
  }

  writeEof(): void {
    this.calls.push("writeEof");
  }

  canWriteEof(): boolean {
    return this.eofSupported;
  }

  close(): void {
    this.calls.push("close");
    if (this.closing) return;
    this.closing = true;
    this.onClose?.();
  }

  isClosing(): boolean {
    return this.closing;
  }

  getExtraInfo(name: string): unknown {
    return this.#extraInfo[name];
  }

  toString(): string {
    return `<FakeTransport ${this.#name}>`;
  }
}

/** A transport that can upgrade: `startTls()` resolves to `upgraded` (or rejects with `failure`). */
export class UpgradableTransport extends FakeTransport {
  readonly upgraded: FakeTransport = new FakeTransport("tls", { sslcontext: { tls: true } });
  readonly startTlsCalls: StartTlsOptions[] = [];
  failure: unknown = undefined;

  startTls(options: StartTlsOptions): Promise<WriterTransport> {
    this.calls.push("startTls");
    this.startTlsCalls.push(options);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve(this.upgraded);
  }
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

/**
 * A hand-written `WriterProtocol` with asyncio's `FlowControlMixin` rules: `drainHelper()` rejects
 * with `ConnectionLostError` once the connection is lost, resolves at once unless paused, and
 * otherwise waits for `resumeWriting()`. Records every `drainHelper()` call and replaced transport.
 */
export class FakeProtocol implements WriterProtocol {
  readonly drainSignals: (AbortSignal | undefined)[] = [];
  readonly replaced: WriterTransport[] = [];
  paused = false;
  lost = false;
  readonly #waiters = new Set<Waiter>();
  readonly #closed: Promise<void>;
  #settleClosed: ((error: unknown) => void) | null;

  constructor() {
    let settle: (error: unknown) => void = () => undefined;
    this.#closed = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#closed.catch(() => undefined);
    this.#settleClosed = settle;
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  pauseWriting(): void {
    this.paused = true;
  }

  resumeWriting(): void {
    this.paused = false;
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  connectionLost(error: unknown): void {
    this.lost = true;
    this.#settleClosed?.(error);
    this.#settleClosed = null;
    for (const waiter of [...this.#waiters]) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }

  drainHelper(signal?: AbortSignal): Promise<void> {
    this.drainSignals.push(signal);
    if (this.lost) return Promise.reject(new ConnectionLostError());
    if (!this.paused) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          this.#waiters.delete(waiter);
          resolve();
        },
        reject: (reason) => {
          this.#waiters.delete(waiter);
          reject(reason);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", () => waiter.reject(signal.reason), { once: true });
    });
  }

  closeWaiter(): Promise<void> {
    return this.#closed;
  }

  replaceTransport(transport: WriterTransport): void {
    this.replaced.push(transport);
  }
}

/**
 * Wires a transport to a protocol as asyncio's socket transport does: `close()` schedules
 * `connectionLost(undefined)` for a later loop turn (`call_soon`), not synchronously.
 */
export function connect(transport: FakeTransport, protocol: FakeProtocol): void {
  transport.onClose = () => {
    setTimeout(() => protocol.connectionLost(undefined), 0);
  };
}

/** A stand-in for the reader of the connection: only `exception()` matters to the writer. */
export class FakeReader {
  stored: unknown = undefined;

  exception(): unknown {
    return this.stored;
  }

  toString(): string {
    return "<FakeReader>";
  }
}
