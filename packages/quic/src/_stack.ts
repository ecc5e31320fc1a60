// The narrow interface between this package and a QUIC implementation. One adapter per stack
// (`_matrixai-stack.ts` on Node, `_deno-stack.ts` on Deno) turns its objects into these, so that
// `node:quic` can replace the Node stack when Node ships it without touching the rest.
import type { ConnectionResetError } from "@asyncstreams/protocol";

/** A UDP address: what `getExtraInfo("peername")` and `server.addresses()` give. */
export interface StackAddress {
  address: string;
  family: "IPv4" | "IPv6";
  port: number;
}

/** One QUIC stream as the stack gives it. A send-only stream has no readable, a receive-only none writable. */
export interface StackStream {
  readonly id: bigint;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  /** RESET_STREAM and STOP_SENDING with `code`, where the stack can; may be a no-op (Deno). */
  reset(code: bigint): void;
}

/** How a connection ended. */
export interface StackCloseInfo {
  /** The QUIC application (or transport) error code; 0 for a clean close. */
  code: bigint;
  reason: string;
  /** `true` when the peer closed, `false` when we did, `undefined` when neither (idle timeout, ...). */
  remote: boolean | undefined;
  /** Whether `code` is an application code (`CONNECTION_CLOSE` 0x1d) rather than a transport one. */
  isApp: boolean;
  /** The stack's error, when the connection failed rather than closed. */
  error?: unknown;
}

/** What the stack does for one connection. */
export interface StackConnection {
  readonly alpnProtocol: string | undefined;
  readonly serverName: string | undefined;
  readonly local: StackAddress | undefined;
  readonly remote: StackAddress | undefined;
  /** The peer's leaf certificate (DER), when it sent one. */
  peerCertificate(): Uint8Array | undefined;
  openStream(unidirectional: boolean): Promise<StackStream>;
  /** Registers the one listener for streams the peer opens (called once, right after creation). */
  onStream(listener: (stream: StackStream) => void): void;
  /** Sends CONNECTION_CLOSE with an application code; open streams are dropped. */
  close(code: bigint, reason: string): Promise<void>;
  /**
   * Registers the one listener told, synchronously and once, as soon as the stack learns that the
   * connection ends (the peer's CONNECTION_CLOSE, an idle timeout), before it drops the streams.
   */
  onClosing(listener: (info: StackCloseInfo) => void): void;
  /** Settles once the connection is gone; never rejects. */
  readonly closed: Promise<StackCloseInfo>;
  /** The stack's error for a stream (a reset, STOP_SENDING, ...) as this project's error. */
  toResetError(error: unknown): ConnectionResetError;
  /** The largest application code `close()` and a stream's `reset()` send unaltered. */
  readonly maxCode: bigint;
}

/** Options the stacks share for a connection, already validated. */
export interface StackTransportOptions {
  idleTimeout: number;
  keepAliveInterval: number;
  maxStreams: number;
  alpnProtocols: readonly string[];
}

export interface StackConnectOptions extends StackTransportOptions {
  host: string;
  port: number;
  serverName: string | undefined;
  ca: string[] | undefined;
  verify: boolean;
  /** Stops a handshake in progress. */
  signal: AbortSignal;
}

export interface StackListenOptions extends StackTransportOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
}

export interface StackServer {
  readonly address: StackAddress;
  /** Stops accepting: new connections are refused; live connections stay. */
  stopAccepting(): void;
  /** Releases the socket once every connection is gone. */
  release(): Promise<void>;
}

export interface QuicStack {
  /** `@matrixai/quic` or `Deno`: what `getExtraInfo("quicStack")` gives. */
  readonly name: string;
  connect(options: StackConnectOptions): Promise<StackConnection>;
  listen(options: StackListenOptions, onConnection: (connection: StackConnection) => void): Promise<StackServer>;
}
