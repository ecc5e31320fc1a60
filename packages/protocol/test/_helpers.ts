import type { Protocol, Transport } from "@asyncstreams/protocol";
import { defaultRejectionWatcher } from "../src/testing/_unhandled-rejections.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `b"..."`: the UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The bytes as a string, for readable assertions. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/** Joins chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}

/** Lets pending promise continuations run (the memory transport delivers in microtasks). */
export async function microtasks(): Promise<void> {
  for (let turn = 0; turn < 50; turn++) await Promise.resolve();
}

/** Lets `count` macrotasks run: asyncio's `run_briefly`, bounded. */
export async function macrotasks(count = 2): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** How a promise settled, readable synchronously after waiting a bounded number of turns. */
export interface Tracked<T> {
  readonly settled: boolean;
  readonly rejected: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
}

/** Records how `promise` settles, without ever leaving a rejection unhandled. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = { settled: false, rejected: false, value: undefined as T | undefined, error: undefined as unknown };
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

/** Settles `promise` within a few macrotasks or fails: a bounded `await`. */
export async function within<T>(promise: Promise<T>, turns = 5): Promise<T> {
  const state = track(promise);
  for (let turn = 0; turn < turns && !state.settled; turn++) await macrotasks(1);
  if (!state.settled) throw new Error(`The promise did not settle within ${turns} macrotasks`);
  return promise;
}

/**
 * Listens for unhandled rejections through the runtime's own hook, as the conformance kit does:
 * Node's `unhandledRejection` event, else the global `unhandledrejection` event (browsers have no
 * `process`). Call `stop()` after a couple of macrotasks, then check `reasons`.
 */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const watcher = defaultRejectionWatcher();
  if (watcher === undefined) throw new Error("This runtime reports unhandled rejections through neither process nor globalThis");
  const reasons: unknown[] = [];
  const stop = watcher((reason) => {
    reasons.push(reason);
  });
  return { reasons, stop };
}

/**
 * A protocol that records every callback in `log` as `"<name>:<event>"` (several protocols may share
 * one log, to check ordering across both ends). `onData` runs inside `dataReceived`.
 */
export class RecordingProtocol implements Protocol {
  readonly log: string[];
  readonly received: Uint8Array[] = [];
  readonly lostWith: unknown[] = [];
  transport: Transport | null = null;
  /** What `eofReceived()` returns; `true` keeps the connection half-open. */
  eofResult: boolean | undefined = true;
  onData: ((data: Uint8Array) => void) | null = null;
  onEof: (() => void) | null = null;
  readonly #name: string;

  constructor(name: string, log: string[] = []) {
    this.#name = name;
    this.log = log;
  }

  /** Every byte received so far, as one string. */
  get receivedText(): string {
    return text(concat(this.received));
  }

  /** This protocol's own events, without the name prefix. */
  get events(): string[] {
    const prefix = `${this.#name}:`;
    return this.log.filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length));
  }

  connectionMade(transport: Transport): void {
    this.transport = transport;
    this.log.push(`${this.#name}:made`);
  }

  dataReceived(data: Uint8Array): void {
    this.received.push(data);
    this.log.push(`${this.#name}:data ${text(data)}`);
    this.onData?.(data);
  }

  eofReceived(): boolean | undefined {
    this.log.push(`${this.#name}:eof`);
    this.onEof?.();
    return this.eofResult;
  }

  connectionLost(error: unknown): void {
    this.lostWith.push(error);
    const name = error === undefined ? "undefined" : (error as { name?: string }).name;
    this.log.push(`${this.#name}:lost ${String(name)}`);
  }

  pauseWriting(): void {
    this.log.push(`${this.#name}:pause`);
  }

  resumeWriting(): void {
    this.log.push(`${this.#name}:resume`);
  }
}

/** Attaches a protocol the way `createStreams()` does: `setProtocol` then `connectionMade`. */
export function attach<P extends Protocol>(transport: Transport, protocol: P): P {
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return protocol;
}
