import { WebStreamTransport } from "@asyncstreams/protocol";
import type { WebStreamPair, WriteBufferLimits } from "@asyncstreams/protocol";
import { toApplicationCode } from "./_application-code.js";
import { checkOptions } from "./_check-options.js";

/**
 * One QUIC stream as the stack gives it: its readable (absent on a unidirectional stream this side
 * opened), its writable (absent on one the peer opened) and its reset.
 *
 * @example
 * ```ts
 * import type { QuicStreamPair } from "@asyncstreams/quic";
 *
 * const pair: QuicStreamPair = { readable: new ReadableStream(), writable: null, reset: () => undefined };
 * ```
 */
export interface QuicStreamPair {
  /** The bytes the peer sends; `null` on a send-only stream. */
  readonly readable: ReadableStream<Uint8Array> | null;
  /** Where the bytes for the peer go; `null` on a receive-only stream. */
  readonly writable: WritableStream<Uint8Array> | null;
  /** Sends RESET_STREAM and STOP_SENDING with this application code, where the stack can. */
  readonly reset: (code: bigint) => void;
}

/**
 * Options for {@linkcode QuicStreamTransport}.
 *
 * @example
 * ```ts
 * import type { QuicStreamTransportOptions } from "@asyncstreams/quic";
 *
 * const options: QuicStreamTransportOptions = { writeBufferLimits: { high: 128 * 1024 } };
 * ```
 */
export interface QuicStreamTransportOptions {
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** What `getExtraInfo()` returns: `peername`, `sockname`, `streamId`, `alpnProtocol`, ... */
  extraInfo?: Record<string, unknown> | undefined;
}

const endedReadable = (): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    start: (controller) => controller.close(),
  });

/**
 * asyncio's transport over one QUIC stream: the Web Streams transport of
 * `@asyncstreams/protocol` plus what QUIC adds. `writeEof()` sends FIN; `abort(code)` resets the
 * stream with an application code (RESET_STREAM and STOP_SENDING) where the stack can (Deno
 * cannot: there it ends the stream like a FIN). On a unidirectional stream the peer opened,
 * `write()` and `writeEof()` throw `TypeError`; on one this side opened, the reader is at EOF at
 * once.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
 *
 * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
 * await using server = await startQuicServer(
 *   async (reader) => {
 *     await reader.read().catch(() => undefined); // rejects: the client resets the stream
 *   },
 *   {
 *     host: "127.0.0.1",
 *     port: 0,
 *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
 *   },
 * );
 * await using conn = await openQuicConnection({
 *   host: "127.0.0.1",
 *   port: server.addresses()[0]!.port,
 *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
 * });
 * const transport = await conn.openTransport(); // a QuicStreamTransport
 * console.log(String(transport.getExtraInfo("streamId"))); // "0": the client's first bidirectional stream
 * transport.abort(0x10c); // RESET_STREAM and STOP_SENDING with code 0x10c
 * console.log(transport.isClosing()); // true
 * ```
 */
export class QuicStreamTransport extends WebStreamTransport {
  readonly #canWrite: boolean;
  readonly #reset: (code: bigint) => void;

  /**
   * @param stream The stream's readable, writable and reset.
   * @param options Water marks and extra info.
   * @throws {TypeError} When an option name is unknown, or as `WebStreamTransport` does.
   */
  constructor(stream: QuicStreamPair, options: QuicStreamTransportOptions = {}) {
    // Only these two reach the base class: a misspelled one would be dropped in silence.
    checkOptions("Cannot make a QuicStreamTransport", options, ["writeBufferLimits", "extraInfo"]);
    const pair: WebStreamPair = {
      readable: stream.readable ?? endedReadable(),
      writable: stream.writable ?? new WritableStream<Uint8Array>(),
    };
    super(pair, { writeBufferLimits: options.writeBufferLimits, extraInfo: options.extraInfo, halfClose: true });
    this.#canWrite = stream.writable !== null;
    this.#reset = stream.reset;
  }

  /**
   * @inheritDoc
   * @throws {TypeError} On a unidirectional stream the peer opened.
   */
  override write(data: Uint8Array): void {
    if (!this.#canWrite)
      throw new TypeError("Cannot write: this QUIC stream is unidirectional and was opened by the peer (receive-only)");
    super.write(data);
  }

  /**
   * @inheritDoc
   * @throws {TypeError} On a unidirectional stream the peer opened.
   */
  override writeLines(chunks: Iterable<Uint8Array>): void {
    if (!this.#canWrite)
      throw new TypeError(
        "Cannot write lines: this QUIC stream is unidirectional and was opened by the peer (receive-only)",
      );
    super.writeLines(chunks);
  }

  /**
   * Sends FIN once the data written so far is flushed: the peer reads EOF and may still write back.
   *
   * @throws {TypeError} On a unidirectional stream the peer opened.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { createStreams } from "@asyncstreams/protocol";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     writer.write(await reader.read()); // echoes the stream, once its FIN arrives
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const transport = await conn.openTransport();
   * const { reader, writer } = createStreams(transport);
   * writer.write(new TextEncoder().encode("request"));
   * transport.writeEof(); // FIN: the server reads EOF, and may still answer
   * console.log(new TextDecoder().decode(await reader.read())); // "request"
   * ```
   */
  override writeEof(): void {
    if (!this.#canWrite)
      throw new TypeError(
        "Cannot write EOF: this QUIC stream is unidirectional and was opened by the peer (receive-only)",
      );
    super.writeEof();
  }

  /**
   * @returns `false` on a receive-only stream, else `true`.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(null, {
   *   host: "127.0.0.1",
   *   port: 0,
   *   tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["push"] },
   *   onConnection: async (connection) => {
   *     const { writer } = await connection.openStream({ unidirectional: true }); // the server opens a stream
   *     writer.write(new TextEncoder().encode("server push"));
   *     writer.close();
   *   },
   * });
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["push"] },
   * });
   * const mine = await conn.openTransport();
   * console.log(mine.canWriteEof()); // true
   * const pushed = await conn.acceptTransport();
   * console.log(pushed?.canWriteEof()); // false: a receive-only stream the server opened
   * ```
   */
  override canWriteEof(): boolean {
    return this.#canWrite;
  }

  /**
   * Resets the stream at once: RESET_STREAM and STOP_SENDING with `code` (a QUIC varint, default
   * 0), buffered data dropped, then `connectionLost(undefined)` as asyncio's `abort()`. Deno's
   * stack has no stream error codes: there the peer sees a FIN.
   *
   * @param code The application error code, from 0 to 2^62 - 1 (QUIC's limit); on a stream of a
   *   `QuicConnection`, from 0 to 2^53 - 1 (`Number.MAX_SAFE_INTEGER`): both stacks take codes as JS
   *   numbers, which would alter a larger one.
   * @throws {RangeError} When `code` is not an integer in that range; the stream is left as it was.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { createStreams } from "@asyncstreams/protocol";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * let report: (error: unknown) => void = () => undefined;
   * const reported = new Promise<unknown>((resolve) => (report = resolve));
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     writer.write(await reader.readLine());
   *     report(await reader.read().catch((error: unknown) => error)); // the client resets the stream
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const transport = await conn.openTransport();
   * const { reader, writer } = createStreams(transport);
   * writer.write(new TextEncoder().encode("hello\n"));
   * await reader.readLine(); // "hello\n": the server has the stream
   * transport.abort(0x10c); // RESET_STREAM and STOP_SENDING with code 0x10c
   * const error = (await reported) as { name: string; applicationCode?: bigint };
   * console.log(error.name, error.applicationCode === 0x10cn); // "ConnectionResetError" true
   * ```
   */
  override abort(code: bigint | number = 0n): void {
    this.#reset(toApplicationCode(code, "Cannot reset the QUIC stream"));
    super.abort();
  }

  /** @returns `<QuicStreamTransport>`, with `closing` once closing. */
  override toString(): string {
    return super.toString().replace("WebStreamTransport", "QuicStreamTransport");
  }
}
