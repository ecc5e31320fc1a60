import { openConnection } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A minimal SMTP client on `@asyncstreams/net`: one command at a time, each reply read in full
 * (multi-line replies end with a line whose fourth character is a space). Every line sent and
 * received goes to `log`.
 */
export class SmtpClient {
  readonly #reader: StreamReader;
  readonly #writer: StreamWriter;
  readonly #log: (line: string) => void;

  private constructor(reader: StreamReader, writer: StreamWriter, log: (line: string) => void) {
    this.#reader = reader;
    this.#writer = writer;
    this.#log = log;
  }

  /**
   * Connects and reads the greeting.
   *
   * @param options Where to connect, and where the transcript goes.
   * @returns The client, after a `220` greeting.
   */
  static async connect(options: { host: string; port: number; log: (line: string) => void }): Promise<SmtpClient> {
    const { reader, writer } = await openConnection({ host: options.host, port: options.port });
    const client = new SmtpClient(reader, writer, options.log);
    await client.#expect("220");
    return client;
  }

  /** The connection's writer, for `getExtraInfo()`. */
  get writer(): StreamWriter {
    return this.#writer;
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param line The command, without CRLF.
   * @param code The reply code expected.
   * @returns The reply's lines.
   * @throws {Error} When the reply has another code.
   */
  async command(line: string, code: string): Promise<string[]> {
    this.#log(`C: ${line}`);
    this.#writer.write(encoder.encode(`${line}\r\n`));
    await this.#writer.drain();
    return this.#expect(code);
  }

  /**
   * STARTTLS: the command, then the upgrade of this same connection, verified with `ca`.
   *
   * @param options The CA to trust and the name to check (`serverName`).
   */
  async startTls(options: { ca: string; serverName: string }): Promise<void> {
    await this.command("STARTTLS", "220");
    await this.#writer.startTls(options);
    this.#log(
      `-- TLS established: ${String(this.#writer.getExtraInfo("protocol"))}, ${(this.#writer.getExtraInfo("cipher") as { name: string }).name}, certificate for ${subjectOf(this.#writer.getExtraInfo("peercert"))}`,
    );
  }

  /**
   * Sends a message body after DATA's `354`, dot-stuffed, ending with `.`.
   *
   * @param body The message, lines separated by CRLF.
   */
  async data(body: string): Promise<void> {
    await this.command("DATA", "354");
    const stuffed = body.split("\r\n").map((line) => (line.startsWith(".") ? `.${line}` : line));
    for (const line of stuffed) this.#log(`C: ${line}`);
    this.#log("C: .");
    this.#writer.write(encoder.encode(`${stuffed.join("\r\n")}\r\n.\r\n`));
    await this.#expect("250");
  }

  /** Sends QUIT, reads `221`, and closes. */
  async quit(): Promise<void> {
    await this.command("QUIT", "221");
    this.#writer.close();
    await this.#writer.waitClosed();
  }

  async #expect(code: string): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = decoder.decode(await this.#reader.readLine()).replace(/\r?\n$/, "");
      if (line === "") throw new Error(`Cannot read the reply: the server closed the connection (expected ${code})`);
      this.#log(`S: ${line}`);
      lines.push(line);
      if (line.charAt(3) !== "-") break;
    }
    const last = lines[lines.length - 1] ?? "";
    if (!last.startsWith(code)) throw new Error(`Unexpected reply: expected ${code}, got ${JSON.stringify(last)}`);
    return lines;
  }
}

function subjectOf(peercert: unknown): string {
  return String((peercert as { subject?: { CN?: unknown } } | undefined)?.subject?.CN);
}
