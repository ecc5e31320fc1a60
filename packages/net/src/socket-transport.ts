import { TransportBase, deliverEof } from "@asyncstreams/protocol";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { WriteBufferLimits } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import type { StreamReader } from "@asyncstreams/reader";
import type { Channel } from "node:diagnostics_channel";
import { NotImplementedError } from "@asyncstreams/buffer";
import type { StartTlsOptions } from "@asyncstreams/writer";
import { prepareUpgrade, upgradeToTls } from "./_upgrade-to-tls.js";
import type { NetFlowMessage } from "./diagnostics-channels.js";
import { toSocketError } from "./_socket-error-from.js";
import { diagnostics } from "./_diagnostics.js";
import { publishClose } from "./_publish-close.js";
import { describePeer, peerName, sockName } from "./_socket-names.js";
import { shutDownTls, tlsExtraInfo, tlsState } from "./_tls-state.js";
import type { TlsState } from "./_tls-state.js";
import type { SocketTransportOptions } from "./socket-transport-options.js";
import { resetSocket } from "./_reset-socket.js";

/**
 * Bytes that may be written without the event loop turning before flow control makes `drain()`
 * wait for a turn. The count is reset only by that turn, so bytes from earlier turns may add up to
 * one extra, harmless wait per burst.
 */
const TURN_BURST = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/** Where a socket holds the transport listening to it, for the listeners all transports share. */
const TRANSPORT = Symbol("asyncstreams.socketTransport");

type ListenedSocket = Socket & { [TRANSPORT]?: SocketTransport };

/** The transport whose listener runs, `this` being the socket it listens to. */
function transportOf(socket: Socket): SocketTransport {
  return (socket as ListenedSocket)[TRANSPORT]!;
}

/**
 * asyncio's socket transport over a Node.js `net.Socket` (TCP or Unix). It drives a
 * {@linkcode Protocol} with asyncio's lifecycle:
 *
 * - data: `dataReceived(chunk)` with a plain `Uint8Array` view of each chunk Node read (never a
 *   `Buffer`, whose `slice()` would not copy); `pauseReading()` / `resumeReading()` pause the socket.
 * - EOF: `eofReceived()`; if it returns `true` the connection stays half-open, so this side can go
 *   on writing (the socket must be made with `allowHalfOpen: true`); otherwise it closes.
 * - writes: never block; the protocol gets `pauseWriting()` when the socket's buffer rises above
 *   the high-water mark and `resumeWriting()` when it falls to the low-water mark.
 * - `close()`: stops reading, flushes, sends FIN, then `connectionLost(undefined)`; `abort()`:
 *   drops buffered data and resets the connection (RST).
 * - errors: a socket error becomes a `SocketError` (system `code`, original error as `cause`) and
 *   is passed to `connectionLost(error)`, so every read and `drain()` throw that same object.
 *
 * `openConnection()` and `startServer()` make these; use the class directly to adopt a socket
 * connected by other means.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a server on 127.0.0.1:8888
 * import { connect } from "node:net";
 * import { SocketTransport } from "@asyncstreams/net";
 * import { createStreams } from "@asyncstreams/protocol";
 *
 * const socket = connect({ host: "127.0.0.1", port: 8888, allowHalfOpen: true });
 * socket.once("connect", () => {
 *   const { reader, writer } = createStreams(new SocketTransport(socket));
 * });
 * ```
 */
export class SocketTransport extends TransportBase {
  #socket: Socket;
  readonly #onDetach: ((transport: SocketTransport) => void) | undefined;
  /** `close()` has ended (or destroyed) the socket. */
  #ended = false;
  #error: unknown = undefined;
  /** Bytes written since the event loop last turned; see `bufferedForFlowControl()`. */
  #turnBytes = 0;
  #turnScheduled = false;
  #afterWriteBound: (() => void) | null = null;
  readonly #serverSide: boolean;
  readonly #hostname: string | undefined;
  /** The TLS in force, once the connection uses TLS; `null` while it is plain. */
  #tls: TlsState | null = null;
  #upgrading = false;
  /** For the `close` diagnostics message's `duration`: one clock read per connection. */
  readonly #openedAt = performance.now();

  /**
   * @param socket A connected socket, made with `allowHalfOpen: true` for asyncio's half-close.
   * @param options Water marks and a detach hook.
   */
  constructor(socket: Socket, options: SocketTransportOptions = {}) {
    // Addresses vanish from the socket once it closes: keep them for getExtraInfo().
    const extraInfo = { socket, peername: peerName(socket), sockname: sockName(socket), ...options.extraInfo };
    super({ extraInfo, writeBufferLimits: options.writeBufferLimits });
    this.#socket = socket;
    this.#onDetach = options.onDetach;
    this.#serverSide = options.serverSide ?? false;
    this.#hostname = options.hostname;
    if (options.tls !== undefined) this.#tls = tlsState(options.tls.options ?? {}, options.tls.shutdownTimeout);
    this.#listen(socket);
  }

  #listen(socket: Socket): void {
    // Listeners shared by every transport, which find theirs on the socket: four closures per
    // connection would cost more memory than the rest of this object.
    (socket as ListenedSocket)[TRANSPORT] = this;
    socket.on("data", SocketTransport.#onData);
    socket.on("end", SocketTransport.#onEnd);
    socket.on("error", SocketTransport.#onError);
    socket.on("close", SocketTransport.#onClose);
  }

  #unlisten(socket: Socket): void {
    socket.off("data", SocketTransport.#onData);
    socket.off("end", SocketTransport.#onEnd);
    socket.off("error", SocketTransport.#onError);
    socket.off("close", SocketTransport.#onClose);
  }

  /**
   * Upgrades this connection to TLS in place (STARTTLS) and resolves to this same transport, now
   * speaking TLS: the protocol, the reader and the writer carry on unchanged, and so does a server's
   * tracking of this client. The end that accepted the connection acts as the TLS server.
   *
   * Bytes received before the upgrade but not yet read (in the reader's buffer or the socket's) are
   * fed to TLS as ciphertext: a ClientHello that arrived with the last plaintext line completes the
   * handshake (gh-142352), and plaintext injected before the handshake (CVE-2011-0411) fails it
   * instead of ever being read as TLS data. A failed upgrade fails the connection with the error;
   * options that `checkStartTlsOptions()` refuses, or a key or certificate Node cannot load, throw
   * before the socket is touched, and the plain connection stays usable (as asyncio's ValueError).
   *
   * Cancel safety: aborting `signal` (or passing one already aborted) closes the connection: the socket
   * is destroyed and the protocol loses the connection with `signal.reason`; there is no way back to the
   * plain connection.
   *
   * @param options TLS options (`key`, `cert`, `ca`, `serverName`, `rejectUnauthorized`,
   *   `alpnProtocols`, ...), `handshakeTimeout` (default 60 s), `shutdownTimeout` (30 s), `signal`.
   * @param takeBuffered Returns the bytes the reader holds unread (`StreamWriter.startTls()` passes
   *   it): fed to TLS before what the socket holds.
   * @returns This transport.
   * @throws {InvalidStateError} When the transport is closing, already uses TLS, or is upgrading.
   * @throws {TypeError} When an option name is unknown or a value has the wrong type (see
   *   `checkStartTlsOptions()`); the connection is left as it was.
   * @throws {RangeError} When a timeout is not a positive number up to 2^31-1; the connection is left as it was.
   * @throws {TlsError} When the handshake fails or times out; `code` is Node's.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { type SocketTransport, openConnection, startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(
   *   async (reader, writer) => {
   *     await reader.readLine(); // "STARTTLS\n"
   *     writer.write(new TextEncoder().encode("go ahead\n"));
   *     await writer.startTls({ key: readFileSync("server-key.pem"), cert: readFileSync("server.pem") });
   *     writer.write(await reader.readLine()); // echoes one line, over TLS
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const { reader, writer } = await openConnection({ host: "127.0.0.1", port });
   * writer.write(new TextEncoder().encode("STARTTLS\n"));
   * await reader.readLine(); // "go ahead\n"
   * // What writer.startTls() does, at the transport level: the reader's unread bytes go to TLS.
   * const transport = writer.transport as SocketTransport;
   * const tls = { ca: readFileSync("ca.pem"), serverName: "localhost" };
   * const upgraded = await transport.startTls(tls, () => reader.takeBuffered());
   * console.log(upgraded === transport); // true: the same transport, now speaking TLS
   * writer.write(new TextEncoder().encode("secret\n"));
   * console.log(new TextDecoder().decode(await reader.readLine())); // "secret\n"
   * writer.close();
   * server.close();
   * await server.waitClosed();
   * ```
   */
  async startTls(options: StartTlsOptions, takeBuffered?: () => Uint8Array): Promise<SocketTransport> {
    if (this.closing || this.lost) throw new InvalidStateError("Cannot start TLS: the transport is closing");
    if (this.#tls !== null) throw new InvalidStateError("Cannot start TLS: the connection already uses TLS");
    if (this.#upgrading) throw new InvalidStateError("Cannot start TLS: an upgrade is already in progress");
    // Every argument is checked before the socket is touched: a refused call leaves it usable.
    const upgrade = prepareUpgrade(options, { serverSide: this.#serverSide, hostname: this.#hostname });
    this.#upgrading = true;
    const raw = this.#socket;
    this.#unlisten(raw);
    raw.pause();
    const leftover: Uint8Array[] = [];
    const buffered = takeBuffered?.();
    if (buffered !== undefined && buffered.length > 0) leftover.push(buffered);
    for (let chunk: unknown = raw.read(); chunk !== null; chunk = raw.read()) leftover.push(chunk as Buffer);
    let secure: TLSSocket;
    try {
      secure = await upgradeToTls(raw, leftover, upgrade);
    } catch (error) {
      this.#upgrading = false;
      raw.destroy();
      this.callConnectionLost(error);
      throw error;
    }
    this.#upgrading = false;
    if (this.closing) {
      secure.destroy(); // closed or aborted while the handshake ran
      throw new InvalidStateError("Cannot start TLS: the transport was closed during the handshake");
    }
    this.#socket = secure;
    this.#tls = tlsState(options, options.shutdownTimeout);
    this.setExtraInfo("socket", secure);
    this.#listen(secure);
    if (this.readingPaused) secure.pause();
    return this;
  }

  /** @inheritDoc */
  override getExtraInfo(name: string): unknown {
    const tls = this.#tls === null ? undefined : tlsExtraInfo(this.#socket as TLSSocket, this.#tls, name);
    return tls === undefined ? super.getExtraInfo(name) : tls.value;
  }

  /** @inheritDoc */
  override isClosing(): boolean {
    // A write that failed synchronously (EPIPE, ECONNRESET) destroys the socket at once, while its
    // 'error' and 'close' events come a tick later: drain() must see it now to yield (bpo-25441).
    return this.closing || this.#socket.destroyed;
  }

  protected pauseSource(): void {
    this.#socket.pause();
    if (diagnostics.pause.hasSubscribers) this.#publishFlow(diagnostics.pause, "reading");
  }

  protected resumeSource(): void {
    this.#socket.resume();
    if (diagnostics.resume.hasSubscribers) this.#publishFlow(diagnostics.resume, "reading");
  }

  /** @inheritDoc */
  override write(data: Uint8Array): void {
    // Plaintext must never slip onto the wire while TLS is being negotiated.
    if (this.#upgrading && data instanceof Uint8Array && !this.eofWritten)
      throw new InvalidStateError("Cannot write: a TLS upgrade is in progress");
    super.write(data);
  }

  protected writeData(data: Uint8Array): void {
    const socket = this.#socket;
    // asyncio drops writes once the connection is lost; a destroyed socket is lost, its 'close' pending.
    if (socket.destroyed) return;
    // The completion callback costs a request and a tick per write: only ask for it when this write
    // may be what brings the buffer back down to the low-water mark, or while closing.
    if (this.closing || this.writingPaused || socket.writableLength + data.length > this.writeBufferLow) {
      socket.write(data, this.#afterWriteCallback());
    } else {
      socket.write(data);
    }
    this.#turnBytes += data.length;
    // Only a large burst in one turn needs the loop to turn before drain() lets more through.
    if (this.#turnBytes > TURN_BURST && !this.#turnScheduled) {
      this.#turnScheduled = true;
      setImmediate(SocketTransport.#onTurn, this);
    }
    this.#maybePauseProtocol();
  }

  /** @inheritDoc */
  override writeLines(chunks: Iterable<Uint8Array>): void {
    // Corked writes leave as one gathering write (writev).
    this.#socket.cork();
    try {
      for (const chunk of chunks) this.write(chunk);
    } finally {
      this.#socket.uncork();
    }
  }

  /** @inheritDoc */
  override writeEof(): void {
    if (this.#tls !== null)
      throw new NotImplementedError("writeEof over TLS (asyncio: SSL doesn't support half-closes)");
    super.writeEof();
  }

  protected endWriting(): void {
    this.#socket.end();
  }

  /** @inheritDoc */
  canWriteEof(): boolean {
    return this.#tls === null;
  }

  protected startClose(): void {
    this.#socket.pause(); // no more data is delivered, as asyncio removes the reader
    const socket = this.#socket;
    if (socket.writableLength === 0) {
      // Nothing left to flush: report the loss now, as asyncio's call_soon does, so a drain()
      // right after close() sees it.
      this.connectionLostSoon(undefined);
    } else {
      // Earlier writes may have gone without a completion callback: this empty write's callback
      // runs once everything before it is flushed, and ends the socket then.
      socket.write(EMPTY, this.#afterWriteCallback());
    }
    this.#endWhenFlushed();
  }

  /**
   * After `close()`: closes the socket once the buffer is empty. Until then writes
   * are still appended, as asyncio's `write()` does while a closing transport flushes; ending at
   * once would make such a write fail the connection ("write after end") and lose queued data.
   */
  #endWhenFlushed(): void {
    const socket = this.#socket;
    if (this.#ended) return;
    const tls = this.#tls;
    if (tls !== null && !socket.destroyed) {
      this.#ended = true;
      shutDownTls(socket as TLSSocket, tls, (error) => {
        this.#error ??= error;
      });
      return;
    }
    if (socket.writableFinished || socket.destroyed || (socket.writableLength === 0 && !this.eofWritten)) {
      // Nothing to flush: close the socket now (the kernel sends FIN), as asyncio closes it right
      // after connection_lost(), so the socket is closed by the time waitClosed() resolves.
      this.#ended = true;
      socket.destroy();
    } else if (this.eofWritten) {
      this.#ended = true;
      socket.end(() => socket.destroy());
    }
    // Otherwise #afterWrite calls again once a write completes.
  }

  /** @inheritDoc */
  abort(): void {
    if (this.connectionLostCalled) return;
    this.markLost();
    resetSocket(this.#socket); // RST, as asyncio's abort() with SO_LINGER 0 would
    queueMicrotask(() => this.callConnectionLost(undefined));
  }

  /** @inheritDoc */
  getWriteBufferSize(): number {
    // Nothing more will leave once the connection is lost: asyncio clears its buffer then, while
    // Node empties writableLength only at 'close', a tick after abort() or a failed write.
    return this.lost ? 0 : this.#socket.writableLength;
  }

  /** @inheritDoc */
  override setWriteBufferLimits(limits?: Partial<WriteBufferLimits>): void {
    super.setWriteBufferLimits(limits);
    if (this.writingPaused && diagnostics.pause.hasSubscribers) this.#publishFlow(diagnostics.pause, "writing");
  }

  /** @returns `<SocketTransport peer>`. */
  override toString(): string {
    return `<SocketTransport ${describePeer(super.getExtraInfo("peername"))}${this.closing ? " closing" : ""}>`;
  }

  /**
   * The buffer size that flow control acts on: the socket's own buffer, or the bytes written in a
   * burst without the event loop turning, once that burst passes `TURN_BURST`. Node reports a failed
   * write (EPIPE, ECONNRESET) only on a later tick, so without the second term a `write(); await
   * drain()` loop against a dead peer would spin in microtasks forever (asyncio's bpo-25441, in
   * Node's shape): this way `drain()` waits for the loop to turn at least once per burst.
   */
  protected override bufferedForFlowControl(): number {
    const burst = this.#turnBytes > TURN_BURST ? this.#turnBytes : 0;
    return Math.max(this.#socket.writableLength, burst);
  }

  #maybePauseProtocol(): void {
    if (this.maybePauseWriting() && diagnostics.pause.hasSubscribers) this.#publishFlow(diagnostics.pause, "writing");
  }

  #maybeResumeProtocol(): void {
    // A destroyed socket's buffer is empty because its data was dropped, not sent: the waiters
    // stay parked for connectionLost(), which fails them with the error (asyncio's rule).
    if (!this.writingPaused || this.#socket.destroyed) return;
    if (this.maybeResumeWriting() && diagnostics.resume.hasSubscribers)
      this.#publishFlow(diagnostics.resume, "writing");
  }

  /** Runs after each chunk is handed to the kernel: resumes the protocol at the low-water mark. */
  #afterWrite(): void {
    this.#maybeResumeProtocol();
    if (this.closing && !this.lost) this.#endWhenFlushed();
  }

  /** `#afterWrite` as a write's callback, made on first use: most connections never ask for one. */
  #afterWriteCallback(): () => void {
    return (this.#afterWriteBound ??= () => this.#afterWrite());
  }

  static #onTurn(transport: SocketTransport): void {
    transport.#turnScheduled = false;
    transport.#turnBytes = 0;
    transport.#maybeResumeProtocol();
  }

  static #onData(this: Socket, chunk: Buffer): void {
    const transport = transportOf(this);
    if (transport.closing) return;
    const data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    try {
      transport.getProtocol()?.dataReceived(data);
    } catch (error) {
      transport.#fatal(error);
    }
  }

  static #onEnd(this: Socket): void {
    const transport = transportOf(this);
    if (transport.closing) return;
    deliverEof(transport.getProtocol(), { close: () => transport.close(), fail: (error) => transport.#fatal(error) });
  }

  static #onError(this: Socket, error: Error): void {
    const transport = transportOf(this);
    transport.#error ??= toSocketError(error, "Connection lost", transport.#tls !== null);
    // A TLS error after the handshake (a corrupted record) comes without destroying the socket,
    // unlike every net.Socket error: destroy it, or 'close' never reports the loss and reads hang.
    if (!transport.#socket.destroyed) transport.#socket.destroy();
  }

  static #onClose(this: Socket): void {
    const transport = transportOf(this);
    transport.callConnectionLost(transport.#error);
  }

  /** A protocol callback threw: the connection fails with that error, as asyncio's `_fatal_error`. */
  #fatal(error: unknown): void {
    this.#error ??= error;
    this.markLost();
    this.#socket.destroy();
  }

  protected override beforeConnectionLost(error: unknown): void {
    this.#socket.off("data", SocketTransport.#onData);
    if (diagnostics.close.hasSubscribers) {
      publishClose(this, this.#socket, {
        serverSide: this.#serverSide,
        reader: this.#reader(),
        openedAt: this.#openedAt,
        error,
      });
    }
  }

  protected override afterConnectionLost(): void {
    this.#onDetach?.(this);
  }

  /** The protocol's reader, when it has one (a `StreamReaderProtocol` until the loss): for diagnostics. */
  #reader(): StreamReader | null | undefined {
    return this.getProtocol()?.reader;
  }

  #publishFlow(channel: Channel, direction: NetFlowMessage["direction"]): void {
    const bufferedLength =
      direction === "writing" ? this.bufferedForFlowControl() : (this.#reader()?.bufferedLength ?? 0);
    const message: NetFlowMessage = { transport: this, direction, bufferedLength };
    channel.publish(message);
  }
}
