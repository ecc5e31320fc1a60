import { describe, expect, it } from "vitest";
import type { StreamReader } from "@asyncstreams/reader";
import type { QuicStreamTransport } from "@asyncstreams/quic";
import { testClient, testServer, until, within } from "./_helpers.js";

describe("flow control and aborted reads over QUIC streams", () => {
  it("a full reader stops pulling: the stream's data stays with QUIC until the reader reads", async () => {
    const limit = 4096;
    let serverReader: StreamReader | undefined;
    let serverTransport: QuicStreamTransport | undefined;
    const { port } = await testServer(
      (reader, writer) => {
        serverReader = reader;
        serverTransport = writer.transport as QuicStreamTransport;
      },
      { limit },
    );
    const conn = await testClient(port);
    const { writer } = await conn.openStream();
    const payload = Uint8Array.from({ length: 96 * 1024 }, (_, i) => (i * 31) & 0xff);
    writer.write(payload);
    writer.writeEof();
    await until(() => serverTransport !== undefined && !serverTransport.isReading(), 20_000, "the server to pause reading");
    // Held for a while: nothing more is pulled while the reader is over its limit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(serverTransport!.isReading()).toBe(false);
    // Read it all: nothing lost, nothing reordered.
    const all = await within(serverReader!.read(), 60_000, "the whole payload");
    expect(all).toEqual(payload);
  });

  it("a read whose signal aborts consumes nothing and the next read gets the bytes", async () => {
    let serverReader: StreamReader | undefined;
    const { port } = await testServer((reader) => {
      serverReader = reader;
    });
    const conn = await testClient(port);
    const { writer } = await conn.openStream();
    writer.write(new TextEncoder().encode("partial"));
    await until(() => serverReader !== undefined, 20_000, "the server's stream");
    const controller = new AbortController();
    const pending = serverReader!.readLine({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    writer.write(new TextEncoder().encode(" line\n"));
    expect(new TextDecoder().decode(await within(serverReader!.readLine()))).toBe("partial line\n");
  });
});
