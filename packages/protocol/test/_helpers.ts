import type { Protocol, Transport } from "@asyncstreams/protocol";
import { concat, text } from "@asyncstreams/test-utils";

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

/** Attaches a protocol as asyncio's transports do: `setProtocol` then `connectionMade`. */
export function attach<P extends Protocol>(transport: Transport, protocol: P): P {
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return protocol;
}
