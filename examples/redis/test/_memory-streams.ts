import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import type { Streams } from "@asyncstreams/protocol";

/** The two ends of an in-memory connection: `client` reads what `server` writes, and back. */
export interface MemoryStreams {
  client: Streams;
  server: Streams;
  /** Closes both writers. */
  close(): Promise<void>;
}

/** Makes an in-memory connection: real buffering, no sockets. */
export function memoryStreams(): MemoryStreams {
  const [left, right] = memoryTransportPair();
  const client = createStreams(left);
  const server = createStreams(right);
  return {
    client,
    server,
    async close() {
      client.writer.close();
      server.writer.close();
      await Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]).catch(() => undefined);
    },
  };
}

/** Lets the event loop turn once, so written chunks reach the reader as separate chunks. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (data: Uint8Array): string => new TextDecoder().decode(data);
