import { describe, expect, it } from "vitest";
import type { StreamReader } from "@asyncstreams/reader";
import type { QuicStreamTransport } from "@asyncstreams/quic";
import { testClient, testServer, until, within } from "./_helpers.js";

describe("flow control and aborted reads over QUIC streams", { timeout: 120_000 }, () => {
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
    await until(
      () => serverTransport !== undefined && !serverTransport.isReading(),
      20_000,
      "the server to pause reading",
    );
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

describe("stream credit", { timeout: 120_000 }, () => {
  it("streams nobody takes are held by QUIC's stream credit: past maxStreams the opener is refused, not queued in memory", async () => {
    const { StreamError } = await import("@asyncstreams/buffer");
    let take: (() => void) | undefined;
    const taking = new Promise<void>((resolve) => (take = resolve));
    const answered: string[] = [];
    const { port } = await testServer(null, {
      maxStreams: 4,
      onConnection: async (connection) => {
        await taking; // the handler takes no stream until told
        for await (const { reader, writer } of connection.incomingStreams) {
          void (async () => {
            answered.push(new TextDecoder().decode(await reader.read()));
            writer.close();
          })();
        }
      },
    });
    const conn = await testClient(port);
    const opened = [];
    for (let i = 0; i < 4; i++) {
      const streams = await conn.openStream();
      streams.writer.write(new TextEncoder().encode(`s${i}`));
      streams.writer.writeEof();
      opened.push(streams);
    }
    const refused = await conn.openStream().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamError);
    expect((refused as InstanceType<typeof StreamError>).code).toBe("ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT");
    take!();
    await within(Promise.all(opened.map(({ reader }) => reader.read())), 30_000, "the held streams to be served");
    expect(answered.sort()).toEqual(["s0", "s1", "s2", "s3"]);
  });
});
