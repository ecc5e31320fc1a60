import { openConnection } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
// Header bytes are ISO-8859-1 (RFC 9110 §5.5); bodies stay bytes.
const latin1 = new TextDecoder("latin1");
const CRLF = encoder.encode("\r\n");
const END_OF_HEADERS = encoder.encode("\r\n\r\n");

/** A response read by {@linkcode HttpConnection.request}. */
export interface HttpResponse {
  /** The status code, such as 200. */
  status: number;
  /** The reason phrase, such as `"OK"`. */
  reason: string;
  /** The header fields, names lower-cased; repeated fields joined with `", "`. */
  headers: Map<string, string>;
  /** How the body was framed. */
  framing: "content-length" | "chunked" | "none";
  /** The body's bytes (de-chunked). */
  body: Uint8Array;
  /** The trailer fields of a chunked body, names lower-cased. */
  trailers: Map<string, string>;
}

/** Options for {@linkcode HttpConnection.open}. */
export interface HttpConnectionOptions {
  /** The server's address. */
  host: string;
  /** The server's port. */
  port: number;
  /** Aborts the connect and every read and drain of this connection. */
  signal?: AbortSignal;
}

/**
 * A minimal HTTP/1.1 client connection: one request at a time, kept alive between requests. The
 * framing is the point: `readUntil("\r\n\r\n")` for the head, `readExactly()` for a Content-Length
 * body, `readLine()` + `readExactly()` for a chunked one, so the next response starts at exactly the
 * right byte.
 */
export class HttpConnection {
  readonly #reader: StreamReader;
  readonly #writer: StreamWriter;
  readonly #host: string;
  readonly #signal: { signal: AbortSignal } | Record<string, never>;

  private constructor(reader: StreamReader, writer: StreamWriter, host: string, signal: AbortSignal | undefined) {
    this.#reader = reader;
    this.#writer = writer;
    this.#host = host;
    this.#signal = signal ? { signal } : {};
  }

  /**
   * Connects.
   *
   * @param options Where to connect, and the signal that aborts everything.
   * @returns The open connection.
   */
  static async open(options: HttpConnectionOptions): Promise<HttpConnection> {
    const withSignal = options.signal ? { signal: options.signal } : {};
    const { reader, writer } = await openConnection({ host: options.host, port: options.port, ...withSignal });
    return new HttpConnection(reader, writer, `${options.host}:${options.port}`, options.signal);
  }

  /**
   * Sends a request without a body and reads the whole response.
   *
   * @param method The method, such as `"GET"`.
   * @param path The request target, such as `"/index.html"`.
   * @returns The response, with its body read in full.
   * @throws {Error} When the response is malformed. A read error (`IncompleteReadError`,
   *   `LimitOverrunError`, `signal.reason`) passes through.
   */
  async request(method: string, path: string): Promise<HttpResponse> {
    this.#writer.write(
      encoder.encode(`${method} ${path} HTTP/1.1\r\nHost: ${this.#host}\r\nUser-Agent: asyncstreams-example\r\n\r\n`),
    );
    await this.#writer.drain(this.#signal);

    // The head: status line and fields, up to the blank line. A head over the reader's limit
    // (64 KiB by default) throws LimitOverrunError instead of buffering without bound.
    const head = latin1.decode(await this.#reader.readUntil(END_OF_HEADERS, this.#signal));
    const [statusLine = "", ...fieldLines] = head.slice(0, -4).split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
    if (match === null) throw new Error(`Cannot parse the status line: ${JSON.stringify(statusLine)}`);
    const status = Number(match[1]);
    const headers = parseFields(fieldLines);

    const base = { status, reason: match[2] ?? "", headers };
    if (method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      return { ...base, framing: "none", body: new Uint8Array(0), trailers: new Map() };
    }
    if (/(^|,)\s*chunked\s*$/i.test(headers.get("transfer-encoding") ?? "")) {
      const { body, trailers } = await this.#readChunked();
      return { ...base, framing: "chunked", body, trailers };
    }
    const length = headers.get("content-length");
    if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new Error(`Cannot read the body: bad Content-Length ${JSON.stringify(length)}`);
      // readExactly is not bounded by the reader's limit, and throws IncompleteReadError on a short body.
      return {
        ...base,
        framing: "content-length",
        body: await this.#reader.readExactly(Number(length), this.#signal),
        trailers: new Map(),
      };
    }
    throw new Error(
      "Cannot read the body: no Content-Length and not chunked (a close-delimited body is not supported)",
    );
  }

  /** Closes the connection and waits until it is closed. */
  async close(): Promise<void> {
    this.#writer.close();
    await this.#writer.waitClosed().catch(() => undefined); // the server may have closed first
  }

  async #readChunked(): Promise<{ body: Uint8Array; trailers: Map<string, string> }> {
    const chunks: Uint8Array[] = [];
    for (;;) {
      // chunk-size [; extensions] CRLF
      const sizeLine = latin1.decode(await this.#reader.readLine(this.#signal));
      if (!sizeLine.endsWith("\n")) throw new Error("Cannot read a chunk size: the connection closed");
      const sizeText = (sizeLine.split(";")[0] ?? "").trim();
      if (!/^[0-9a-f]+$/i.test(sizeText))
        throw new Error(`Cannot read a chunk size: ${JSON.stringify(sizeLine.trimEnd())}`);
      const size = Number.parseInt(sizeText, 16);
      if (size === 0) break;
      chunks.push(await this.#reader.readExactly(size, this.#signal));
      const end = await this.#reader.readExactly(2, this.#signal);
      if (end[0] !== CRLF[0] || end[1] !== CRLF[1]) throw new Error("Cannot read a chunk: no CRLF after its data");
    }
    // The trailer section: fields until an empty line.
    const trailerLines: string[] = [];
    for (;;) {
      const line = latin1.decode(await this.#reader.readLine(this.#signal));
      if (!line.endsWith("\n")) throw new Error("Cannot read the trailers: the connection closed");
      const field = line.replace(/\r?\n$/, "");
      if (field === "") break;
      trailerLines.push(field);
    }
    return { body: concat(chunks), trailers: parseFields(trailerLines) };
  }
}

function parseFields(lines: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`Cannot parse a header field: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = fields.get(name);
    fields.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return fields;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
