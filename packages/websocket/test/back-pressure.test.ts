import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { StreamWriter } from "@asyncstreams/writer";
import { openWebSocketConnection, ReadOverflowError, type WebSocketTransport } from "../src/index.js";
import { startWebSocketServer } from "../src/server/index.js";
import { GlobalWebSocket, WsWebSocket } from "./_pairs.js";

const MiB = 1024 * 1024;

/** A deterministic byte pattern, so that order and integrity are checked, not only the count. */
function pattern(length: number, offset = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (offset + i) % 251;
  return bytes;
}

/** Whether the bytes are `pattern(length)`; a plain loop (deep equality of megabytes is far too slow). */
function isPattern(bytes: Uint8Array, length: number): boolean {
  if (bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== i % 251) return false;
  return true;
}

/**
 * A server that writes `total` bytes in 64 KiB writes, awaiting drain() after each, and counts what
 * drain() let through; then it reads until the client closes, and keeps the error that ended it.
 */
async function firehose(total: number) {
  const progress = { written: 0, writer: undefined as StreamWriter | undefined, error: undefined as unknown };
  const server = await startWebSocketServer(
    async (reader, writer) => {
      progress.writer = writer;
      try {
        for (let offset = 0; offset < total; offset += 65_536) {
          writer.write(pattern(Math.min(65_536, total - offset), offset));
          await writer.drain();
          progress.written = offset + 65_536;
        }
        await reader.read();
      } catch (error) {
        progress.error = error;
      }
    },
    { host: "127.0.0.1", port: 0, maxPayload: MiB },
  );
  const [address] = server.addresses() as AddressInfo[];
  return { server, progress, url: `ws://127.0.0.1:${address!.port}/` };
}

describe("read back-pressure", () => {
  it("with ws, a reader that stops reading stops the socket (pause), so the peer's drain() waits; then everything arrives in order", async () => {
    const total = 32 * MiB;
    const { server, progress, url } = await firehose(total);
    try {
      const { reader, writer } = await openWebSocketConnection(url, { WebSocket: WsWebSocket, limit: 16 * 1024 });
      await new Promise((resolve) => setTimeout(resolve, 500)); // not reading
      // Held: the reader's 2 × limit, the socket buffers and one write buffer; far from 32 MiB.
      expect((writer.transport as WebSocketTransport).isReading()).toBe(false);
      expect(progress.written).toBeLessThan(16 * MiB);
      const received = await reader.readExactly(total);
      expect(isPattern(received, total)).toBe(true);
      writer.close();
    } finally {
      server.close();
      server.abortClients();
      await server.waitClosed();
    }
  });

  it.skipIf(GlobalWebSocket === undefined)(
    "with a WHATWG WebSocket, which cannot pause, a paused reader holds at most maxReadBuffer, then the connection closes with 4009 and reads fail with ReadOverflowError",
    async () => {
      const { server, progress, url } = await firehose(16 * MiB);
      try {
        const { reader } = await openWebSocketConnection(url, { limit: 16 * 1024, maxReadBuffer: 2 * MiB });
        const error: unknown = await new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
          reader.readExactly(16 * MiB).catch((e: unknown) => e),
        );
        expect(error).toBeInstanceOf(ReadOverflowError);
        expect(error).toMatchObject({ code: "ERR_WEBSOCKET_READ_OVERFLOW", maxReadBuffer: 2 * MiB });
        // The peer learns why: 4009 is 1009 (message too big) in the range a WHATWG socket may send.
        await expect
          .poll(() => progress.error, { timeout: 10_000 })
          .toMatchObject({ code: "ECONNRESET", closeCode: 4009 });
      } finally {
        server.close();
        server.abortClients();
        await server.waitClosed();
      }
    },
  );

  it.skipIf(GlobalWebSocket === undefined)(
    "with a WHATWG WebSocket, a reader that keeps up receives everything below the cap",
    async () => {
      const total = 8 * MiB;
      const { server, url } = await firehose(total);
      try {
        const { reader, writer } = await openWebSocketConnection(url, { limit: 16 * 1024, maxReadBuffer: 2 * MiB });
        expect(isPattern(await reader.readExactly(total), total)).toBe(true);
        writer.close();
      } finally {
        server.close();
        server.abortClients();
        await server.waitClosed();
      }
    },
  );
});

describe("write back-pressure", () => {
  for (const [label, Constructor] of [
    ["ws", WsWebSocket],
    ["the global WebSocket", GlobalWebSocket],
  ] as const) {
    it.skipIf(Constructor === undefined)(
      `with ${label}, drain() waits while the socket's buffered bytes are above the high-water mark`,
      async () => {
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const received: number[] = [];
        await using server = await startWebSocketServer(
          async (reader) => {
            await gate; // the server's reader fills, its socket pauses, TCP pushes back
            for (let chunk = await reader.read(65_536); chunk.length > 0; chunk = await reader.read(65_536))
              received.push(chunk.length);
          },
          { host: "127.0.0.1", port: 0, limit: 16 * 1024, maxPayload: MiB },
        );
        const [address] = server.addresses() as AddressInfo[];
        const { writer } = await openWebSocketConnection(`ws://127.0.0.1:${address!.port}/`, {
          WebSocket: Constructor ?? WsWebSocket,
          writeBufferLimits: { high: 64 * 1024 },
        });
        let written = 0;
        let waited = false;
        for (let i = 0; i < 256 && !waited; i++) {
          writer.write(pattern(65_536));
          written += 65_536;
          const drained = writer.drain().then(() => true);
          waited = !(await Promise.race([
            drained,
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
          ]));
        }
        expect(waited).toBe(true);
        // Still above the low-water mark (high / 4), which is why drain() waits.
        expect((writer.transport as WebSocketTransport).getWriteBufferSize()).toBeGreaterThan(16 * 1024);
        release();
        await writer.drain();
        writer.close();
        await writer.waitClosed();
        await expect.poll(() => received.reduce((a, b) => a + b, 0), { timeout: 10_000 }).toBe(written);
      },
    );
  }
});
