import { startServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

/** Options for {@linkcode startEchoServer}. */
export interface EchoServerOptions {
  /** The address to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** The port; 0 picks a free one. Default 0. */
  port?: number;
  /** The longest line the server accepts, in bytes. Default 64 KiB. */
  limit?: number;
}

/**
 * One echo session, asyncio's `handle_echo`: every line goes straight back, at the client's pace,
 * until the client half-closes; then the server closes its side.
 *
 * @param reader The connection's reader.
 * @param writer The connection's writer.
 */
export async function echoLines(reader: StreamReader, writer: StreamWriter): Promise<void> {
  try {
    for await (const line of reader) {
      writer.write(line);
      await writer.drain(); // back-pressure: never buffer more than the client reads
    }
  } finally {
    writer.close();
    await writer.waitClosed().catch(() => undefined); // the client may already be gone
  }
}

/**
 * Starts an echo server.
 *
 * @param options Where to listen, and the line limit.
 * @returns The listening server; `close()` then `waitClosed()` stops it.
 */
export async function startEchoServer(options: EchoServerOptions = {}): Promise<Server> {
  return startServer(echoLines, {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  });
}
