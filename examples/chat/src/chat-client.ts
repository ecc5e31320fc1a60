import { openConnection } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A chat client: one connection, after `NICK`. */
export class ChatClient {
  /** The nickname. */
  readonly name: string;
  /** The connection's reader (for reading raw, as a slow client does). */
  readonly reader: StreamReader;
  /** The connection's writer. */
  readonly writer: StreamWriter;

  private constructor(name: string, reader: StreamReader, writer: StreamWriter) {
    this.name = name;
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * Connects, sends `NICK name` and waits for `WELCOME name`.
   *
   * @param host The server's address.
   * @param port The server's port.
   * @param name The nickname.
   * @param signal Aborts the connect and the wait.
   * @returns The client.
   * @throws {Error} When the server refuses the nickname.
   */
  static async connect(host: string, port: number, name: string, signal?: AbortSignal): Promise<ChatClient> {
    const withSignal = signal === undefined ? {} : { signal };
    const { reader, writer } = await openConnection({ host, port, ...withSignal });
    const client = new ChatClient(name, reader, writer);
    await client.say(`NICK ${name}`, signal);
    const welcome = await client.nextLine(signal);
    if (welcome !== `WELCOME ${name}`) {
      await client.close();
      throw new Error(`Cannot join as ${name}: the server said ${JSON.stringify(welcome)}`);
    }
    return client;
  }

  /**
   * Sends one line and waits for the writer to drain.
   *
   * @param line The line, without its `\n`.
   * @param signal Aborts the drain.
   */
  async say(line: string, signal?: AbortSignal): Promise<void> {
    this.writer.write(encoder.encode(`${line}\n`));
    await this.writer.drain(signal === undefined ? {} : { signal });
  }

  /**
   * Reads the next line from the server.
   *
   * @param signal Aborts the read.
   * @returns The line without its `\n`, or `null` at EOF.
   */
  async nextLine(signal?: AbortSignal): Promise<string | null> {
    const raw = await this.reader.readLine(signal === undefined ? {} : { signal });
    if (raw.length === 0) return null;
    const text = decoder.decode(raw);
    return text.endsWith("\n") ? text.slice(0, -1) : text;
  }

  /**
   * Reads lines until one satisfies `match`.
   *
   * @param match What the wanted line looks like.
   * @param signal Aborts the reads.
   * @returns The matching line, and how many lines were read before it.
   * @throws {Error} At EOF before a match.
   */
  async waitFor(match: (line: string) => boolean, signal?: AbortSignal): Promise<{ line: string; skipped: number }> {
    for (let skipped = 0; ; skipped++) {
      const line = await this.nextLine(signal);
      if (line === null) throw new Error(`${this.name}: EOF before the expected line`);
      if (match(line)) return { line, skipped };
    }
  }

  /**
   * Reads whatever is left until the server closes, then closes this side.
   *
   * @param signal Aborts the reads.
   * @returns The lines read before EOF.
   */
  async readToEof(signal?: AbortSignal): Promise<string[]> {
    const lines: string[] = [];
    for (let line = await this.nextLine(signal); line !== null; line = await this.nextLine(signal)) lines.push(line);
    await this.close();
    return lines;
  }

  /** Closes the connection and waits until it is closed (errors of a dead connection are ignored). */
  async close(): Promise<void> {
    this.writer.close();
    await this.writer.waitClosed().catch(() => undefined);
  }
}
