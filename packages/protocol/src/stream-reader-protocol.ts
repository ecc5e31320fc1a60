import type { StreamReader } from "@asyncstreams/reader";
import { StreamWriter } from "@asyncstreams/writer";
import type { WriterProtocol, WriterTransport } from "@asyncstreams/writer";
import { FlowControl } from "./flow-control.js";
import type { Protocol } from "./protocol.js";
import type { Transport } from "./transport.js";

/**
 * A server's per-connection callback, asyncio's `client_connected_cb`: plain or async.
 */
export type ClientConnectedCallback = (reader: StreamReader, writer: StreamWriter) => void | Promise<void>;

/**
 * What an error hook learns about a failed client callback.
 */
export interface ClientErrorContext {
  /** asyncio's message: `"Unhandled exception in client_connected_cb"`. */
  message: string;
  /** The connection's transport; it is closed right after the hook returns. */
  transport: Transport;
}

/**
 * Receives errors thrown or rejected by a client callback. Default: `console.error`.
 */
export type ClientErrorHandler = (error: unknown, context: ClientErrorContext) => void;

/**
 * Options for {@linkcode StreamReaderProtocol}.
 */
export interface StreamReaderProtocolOptions {
  /** Server side: called with `(reader, writer)` once the connection is made. */
  onClient?: ClientConnectedCallback | undefined;
  /** Called when `onClient` throws or its promise rejects; the transport is then closed. */
  onError?: ClientErrorHandler | undefined;
}

const UNHANDLED = "Unhandled exception in client_connected_cb";

const reportToConsole: ClientErrorHandler = (error, context) => {
  console.error(context.message, error);
};

/**
 * asyncio's `StreamReaderProtocol`: the glue between a transport and a `StreamReader` (data, EOF
 * and errors flow in) and a `StreamWriter` (flow control and the close waiter flow out).
 *
 * On the server side, `onClient(reader, writer)` runs inside `connectionMade()`. If it throws or its
 * promise rejects, `onError(error, { message, transport })` is called and the transport is closed
 * (gh-110894; for a plain function as in CPython `main`, gh-155941). A rejection whose error is an
 * `AbortError` (the handler was cancelled) closes the transport silently, as a cancelled asyncio
 * handler task does (gh-113538). No rejection ever escapes unhandled.
 *
 * The protocol holds no reference to the writer it creates (gh-114914).
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 * import { StreamReaderProtocol, memoryTransportPair } from "@asyncstreams/protocol";
 *
 * const [transport] = memoryTransportPair();
 * const protocol = new StreamReaderProtocol(new StreamReader(), {
 *   onClient: async (reader, writer) => {
 *     writer.write(await reader.readLine());
 *     writer.close();
 *   },
 * });
 * transport.setProtocol(protocol);
 * protocol.connectionMade(transport);
 * ```
 */
export class StreamReaderProtocol extends FlowControl implements Protocol, WriterProtocol {
  #reader: StreamReader | null;
  #transport: Transport | null = null;
  readonly #onClient: ClientConnectedCallback | undefined;
  readonly #onError: ClientErrorHandler;
  #overTls = false;
  /** The close waiter, made on first demand: most connections never ask for it. */
  #closed: Promise<void> | null = null;
  #settleClosed: ((error: unknown) => void) | null = null;
  /** How the connection was lost: `undefined` while it lasts, `null` after a clean close. */
  #lostWith: unknown = undefined;

  /**
   * @param reader The reader to feed.
   * @param options `onClient` and `onError` for the server side.
   */
  constructor(reader: StreamReader, options: StreamReaderProtocolOptions = {}) {
    super();
    this.#reader = reader;
    this.#onClient = options.onClient;
    this.#onError = options.onError ?? reportToConsole;
  }

  /**
   * Whether this protocol serves the accepting side of a connection (it has a client callback).
   * `startTls()` uses it to pick the TLS role.
   */
  get isServerSide(): boolean {
    return this.#onClient !== undefined;
  }

  /** The connection's transport (the TLS one after `startTls()`), until the connection is lost. */
  get transport(): Transport | null {
    return this.#transport;
  }

  /** The reader being fed, until the connection is lost. */
  get reader(): StreamReader | null {
    return this.#reader;
  }

  /**
   * Connects the reader to `transport` and, on the server side, runs the client callback.
   *
   * @param transport The connection's transport.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [left, right] = memoryTransportPair();
   * const protocol = new StreamReaderProtocol(new StreamReader(), {
   *   onClient: (_reader, writer) => writer.write(new TextEncoder().encode("welcome\n")),
   * });
   * right.setProtocol(protocol);
   * protocol.connectionMade(right); // what a transport calls once connected: runs onClient
   * const client = createStreams(left);
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "welcome\n"
   * ```
   */
  connectionMade(transport: Transport): void {
    this.#transport = transport;
    const reader = this.#reader;
    reader?.setTransport(transport);
    this.#overTls = hasTls(transport);
    const onClient = this.#onClient;
    if (onClient === undefined || reader === null) return;
    const writer = new StreamWriter(transport, { protocol: this, reader });
    let result: unknown;
    try {
      result = onClient(reader, writer);
    } catch (error) {
      this.#clientFailed(error, transport);
      return;
    }
    if (isPromiseLike(result)) {
      result.then(undefined, (error: unknown) => this.#clientFailed(error, transport));
    }
  }

  /**
   * Feeds received bytes to the reader.
   *
   * @param data The bytes; the reader owns them from now on.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol } from "@asyncstreams/protocol";
   *
   * const reader = new StreamReader();
   * const protocol = new StreamReaderProtocol(reader);
   * protocol.dataReceived(new TextEncoder().encode("hel")); // what a transport calls per chunk
   * protocol.dataReceived(new TextEncoder().encode("lo\n"));
   * console.log(new TextDecoder().decode(await reader.readLine())); // "hello\n"
   * ```
   */
  dataReceived(data: Uint8Array): void {
    this.#reader?.feedData(data);
  }

  /**
   * Feeds EOF to the reader.
   *
   * @returns `true` on a plain connection, keeping it half-open so this side can still write;
   *   `false` over TLS, which cannot half-close.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol } from "@asyncstreams/protocol";
   *
   * const reader = new StreamReader();
   * const protocol = new StreamReaderProtocol(reader);
   * protocol.dataReceived(new TextEncoder().encode("tail"));
   * console.log(protocol.eofReceived()); // true: keep the connection half-open
   * console.log(new TextDecoder().decode(await reader.read())); // "tail"
   * ```
   */
  eofReceived(): boolean {
    this.#reader?.feedEof();
    return !this.#overTls;
  }

  /**
   * Ends the connection: EOF to the reader after a clean close, else the error (so every read and
   * `drain()` throws it), settles the close waiter, and releases drain waiters.
   *
   * @param error What broke the connection, or `undefined` after a clean close.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol } from "@asyncstreams/protocol";
   *
   * const reader = new StreamReader();
   * const protocol = new StreamReaderProtocol(reader);
   * const closed = protocol.closeWaiter();
   * protocol.connectionLost(new Error("network down"));
   * console.log(await reader.read().catch((reason: unknown) => (reason as Error).message)); // "network down"
   * console.log(await closed.catch((reason: unknown) => (reason as Error).message)); // "network down"
   * ```
   */
  override connectionLost(error: unknown): void {
    const reader = this.#reader;
    const clean = error === undefined || error === null;
    if (reader !== null) {
      if (clean) reader.feedEof();
      else reader.setException(error);
    }
    if (this.#lostWith === undefined) {
      this.#lostWith = clean ? null : error;
      this.#settleClosed?.(this.#lostWith);
      this.#settleClosed = null;
    }
    super.connectionLost(clean ? undefined : error);
    this.#reader = null;
    this.#transport = null;
  }

  /**
   * The close waiter behind `StreamWriter.waitClosed()`: one shared promise, settled by
   * `connectionLost()`.
   *
   * Cancel safety: no signal; the promise only observes the connection.
   *
   * @returns The promise.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol } from "@asyncstreams/protocol";
   *
   * const protocol = new StreamReaderProtocol(new StreamReader());
   * const closed = protocol.closeWaiter();
   * protocol.connectionLost(undefined); // a clean close
   * console.log(await closed); // undefined
   * console.log(protocol.closeWaiter() === closed); // true: one shared promise
   * ```
   */
  closeWaiter(): Promise<void> {
    if (this.#closed === null) {
      const lostWith = this.#lostWith;
      if (lostWith === null) {
        this.#closed = Promise.resolve();
      } else if (lostWith !== undefined) {
        this.#closed = Promise.reject(lostWith);
      } else {
        this.#closed = new Promise<void>((resolve, reject) => {
          this.#settleClosed = (error) => (error === null ? resolve() : reject(error));
        });
      }
      // Nobody may await waitClosed(): a failed connection must not become an unhandled rejection.
      this.#closed.catch(() => undefined);
    }
    return this.#closed;
  }

  /**
   * Points the protocol at the transport that replaced the old one after `startTls()`.
   *
   * @param transport The new transport.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   * import { StreamReaderProtocol, memoryTransportPair } from "@asyncstreams/protocol";
   *
   * const [plain] = memoryTransportPair();
   * const [upgraded] = memoryTransportPair(); // stands in for the TLS transport of a STARTTLS upgrade
   * const protocol = new StreamReaderProtocol(new StreamReader());
   * protocol.connectionMade(plain);
   * protocol.replaceTransport(upgraded);
   * console.log(protocol.transport === upgraded); // true: the reader now pauses and resumes it
   * ```
   */
  replaceTransport(transport: Transport): void {
    const previous = this.#transport;
    this.#transport = transport;
    this.#overTls = hasTls(transport);
    // asyncio `main` (gh-152431): the reader must pause and resume the new transport, not the old.
    if (transport !== previous) this.#reader?.replaceTransport(transport);
  }

  #clientFailed(error: unknown, transport: Transport): void {
    if (!isAbortError(error)) {
      try {
        this.#onError(error, { message: UNHANDLED, transport });
      } catch (hookError) {
        reportToConsole(hookError, { message: "Exception in the onError hook", transport });
      }
    }
    transport.close();
  }
}

/** asyncio's `get_extra_info('sslcontext') is not None`: `null`, like `undefined`, means plain. */
function hasTls(transport: WriterTransport): boolean {
  const context = transport.getExtraInfo("sslcontext");
  return context !== undefined && context !== null;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "AbortError";
}
