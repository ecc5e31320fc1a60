import { openConnection } from "@asyncstreams/net";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Options for {@linkcode echoClient}. */
export interface EchoClientOptions {
  /** The server's address. */
  host: string;
  /** The server's port. */
  port: number;
  /** The lines to send, without their `\n`. */
  lines: readonly string[];
  /** The longest echoed line the client accepts, in bytes. Default 64 KiB. */
  limit?: number;
  /** Aborts the connect and every read. */
  signal?: AbortSignal;
}

/** What {@linkcode echoClient} saw. */
export interface EchoClientResult {
  /** Each echoed line, decoded, without its `\n`, in order. */
  echoes: string[];
  /** Whether the server closed its side after the client's half-close (the read after it hit EOF). */
  serverClosed: boolean;
}

/**
 * asyncio's `tcp_echo_client`: sends each line, reads its echo, then half-closes with `writeEof()`
 * and reads until the server closes too.
 *
 * @param options Where to connect and what to send.
 * @returns The echoes, and whether the server closed cleanly.
 */
export async function echoClient(options: EchoClientOptions): Promise<EchoClientResult> {
  // exactOptionalPropertyTypes: pass `signal` only when there is one.
  const withSignal = options.signal ? { signal: options.signal } : {};
  const withLimit = options.limit === undefined ? {} : { limit: options.limit };
  const { reader, writer } = await openConnection({
    host: options.host,
    port: options.port,
    ...withLimit,
    ...withSignal,
  });
  const echoes: string[] = [];
  try {
    for (const line of options.lines) {
      writer.write(encoder.encode(`${line}\n`));
      await writer.drain(withSignal);
      const echo = decoder.decode(await reader.readLine(withSignal));
      echoes.push(echo.endsWith("\n") ? echo.slice(0, -1) : echo);
    }
    writer.writeEof(); // half-close: the server's loop ends, and we can still read its EOF
    const rest = await reader.read(-1, withSignal);
    return { echoes, serverClosed: rest.length === 0 && reader.atEof() };
  } finally {
    writer.close();
    await writer.waitClosed().catch(() => undefined);
  }
}
