import { channel, subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import {
  DIAGNOSTICS_CHANNELS,
  openConnection,
  openUnixConnection,
  startServer,
  startUnixServer,
} from "@asyncstreams/net";
import type {
  NetAcceptMessage,
  NetCloseMessage,
  NetConnectMessage,
  NetFlowMessage,
  SocketTransport,
} from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { bytes, deferred, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

type Name = keyof typeof DIAGNOSTICS_CHANNELS;

/** Every message published on the named channels during this test, in order. */
function record(...names: Name[]): { name: Name; message: unknown }[] {
  const seen: { name: Name; message: unknown }[] = [];
  for (const name of names) {
    const onMessage = (message: unknown): void => {
      seen.push({ name, message });
    };
    subscribe(DIAGNOSTICS_CHANNELS[name], onMessage);
    onTestFinished(() => {
      unsubscribe(DIAGNOSTICS_CHANNELS[name], onMessage);
    });
  }
  return seen;
}

/** A server whose client callback hands its reader and writer to the test. */
async function serverWithClient(options: { limit?: number; writeBufferLimits?: { high: number } } = {}) {
  const client = deferred<{ reader: StreamReader; writer: StreamWriter }>();
  const server = await startServer(
    (reader, writer) => {
      client.resolve({ reader, writer });
    },
    { host: HOST, port: 0, ...options },
  );
  closeServerAtEnd(server);
  return { server, client: client.promise };
}

describe("diagnostics channels", () => {
  it("names five channels under asyncstreams:net:", () => {
    expect(DIAGNOSTICS_CHANNELS).toEqual({
      connect: "asyncstreams:net:connect",
      accept: "asyncstreams:net:accept",
      close: "asyncstreams:net:close",
      pause: "asyncstreams:net:pause",
      resume: "asyncstreams:net:resume",
    });
    expect(Object.isFrozen(DIAGNOSTICS_CHANNELS)).toBe(true);
  });

  it("publishes connect and accept with each side's transport and streams, then close with the totals of each", async () => {
    const seen = record("connect", "accept", "close");
    const { server, client } = await serverWithClient();
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    const peer = await within(client);

    const connect = seen.find((entry) => entry.name === "connect")?.message as NetConnectMessage;
    expect(connect.reader).toBe(reader);
    expect(connect.writer).toBe(writer);
    expect(connect.transport).toBe(writer.transport);
    const accept = seen.find((entry) => entry.name === "accept")?.message as NetAcceptMessage;
    expect(accept.server).toBe(server);
    expect(accept.reader).toBe(peer.reader);
    expect(accept.transport).toBe(peer.writer.transport);

    writer.write(bytes("hello\nunread"));
    expect(text(await within(peer.reader.readLine()))).toBe("hello\n");
    await until(() => peer.reader.bufferedLength === 6, 5_000, "the unread bytes");
    peer.writer.write(bytes("bye"));
    expect(text(await within(reader.readExactly(3)))).toBe("bye");
    writer.close();
    await within(writer.waitClosed());
    peer.writer.close(); // the server's side stays half-open after the client's FIN until it closes too
    await until(() => seen.filter((entry) => entry.name === "close").length === 2, 5_000, "two close messages");

    const closes = seen.filter((entry) => entry.name === "close").map((entry) => entry.message as NetCloseMessage);
    const clientClose = closes.find((message) => message.transport === connect.transport)!;
    const serverClose = closes.find((message) => message.transport === accept.transport)!;
    expect(clientClose).toMatchObject({
      serverSide: false,
      bytesReceived: 3,
      bytesConsumed: 3,
      bytesWritten: 12,
      error: undefined,
    });
    expect(serverClose).toMatchObject({
      serverSide: true,
      bytesReceived: 12,
      bytesConsumed: 6,
      bytesWritten: 3,
      error: undefined,
    });
    for (const message of closes) {
      expect(message.duration).toBeGreaterThan(0);
      expect(message.duration).toBeLessThan(10_000);
    }
    // Every connection's accept or connect comes before its close.
    expect(seen.findIndex((entry) => entry.message === clientClose)).toBeGreaterThan(
      seen.indexOf(seen.find((entry) => entry.name === "connect")!),
    );
    expect(seen.findIndex((entry) => entry.message === serverClose)).toBeGreaterThan(
      seen.indexOf(seen.find((entry) => entry.name === "accept")!),
    );
  });

  it("publishes close once, with the ConnectionResetError a reset connection was lost with", async () => {
    const seen = record("close");
    const { server, client } = await serverWithClient();
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(client);
    server.abortClients(); // RST
    await within(reader.read().catch(() => undefined));
    await until(() => seen.length >= 2, 5_000, "both close messages");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const clientClose = seen
      .map((entry) => entry.message as NetCloseMessage)
      .filter((message) => message.transport === writer.transport);
    expect(clientClose).toHaveLength(1);
    expect(clientClose[0]!.error).toBeInstanceOf(ConnectionResetError);
    expect((clientClose[0]!.error as ConnectionResetError).code).toBe("ECONNRESET");
    expect(clientClose[0]!.error).toBe(reader.exception()); // the very error reads and drain() throw
  });

  it("publishes pause and resume of writing as the write buffer crosses its water marks", async () => {
    const seen = record("pause", "resume");
    const { server, client } = await serverWithClient();
    const { writer } = await openConnection({
      host: HOST,
      port: portOf(server),
      writeBufferLimits: { high: 64 * 1024 },
    });
    closeAtEnd(writer);
    const peer = await within(client);
    // The server does not read yet: its reader pauses its socket, the kernel buffers fill, then ours.
    const chunk = new Uint8Array(256 * 1024);
    for (let i = 0; i < 256 && writer.bufferedLength <= 64 * 1024; i++) {
      writer.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const transport = writer.transport as SocketTransport;
    const ours = (): { name: Name; message: NetFlowMessage }[] =>
      seen.filter((entry) => (entry.message as NetFlowMessage).transport === transport) as {
        name: Name;
        message: NetFlowMessage;
      }[];
    await until(() => ours().length > 0, 5_000, "a pause message");
    expect(ours()[0]!.name).toBe("pause");
    expect(ours()[0]!.message.direction).toBe("writing");
    expect(ours()[0]!.message.bufferedLength).toBeGreaterThan(64 * 1024); // what flow control compared to the mark
    await within(peer.reader.readExactly(writer.bytesWritten), 10_000, "the server to read everything");
    await within(writer.drain());
    await until(() => ours().at(-1)?.name === "resume", 5_000, "the last resume message");
    // Each burst pauses, and each drain to the low-water mark (16 KiB) resumes: they alternate.
    expect(ours().map((entry) => entry.name)).toEqual(ours().map((_, index) => (index % 2 === 0 ? "pause" : "resume")));
    expect(ours().every((entry) => entry.message.direction === "writing")).toBe(true);
    expect(ours().at(-1)!.message.bufferedLength).toBeLessThanOrEqual(16 * 1024);
  });

  it("publishes pause and resume of reading when the reader fills past 2 × limit and is read down", async () => {
    const seen = record("pause", "resume");
    const { server, client } = await serverWithClient({ limit: 1024 });
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    const peer = await within(client);
    writer.write(new Uint8Array(4096));
    const transport = peer.writer.transport as SocketTransport;
    const ours = (name: Name): NetFlowMessage[] =>
      seen
        .filter((entry) => entry.name === name)
        .map((entry) => entry.message as NetFlowMessage)
        .filter((message) => message.transport === transport);
    await until(() => ours("pause").length === 1, 5_000, "a pause message");
    expect(ours("pause")[0]!.direction).toBe("reading");
    expect(ours("pause")[0]!.bufferedLength).toBeGreaterThan(2048);
    expect(ours("resume")).toHaveLength(0);
    await within(peer.reader.readExactly(4096));
    await until(() => ours("resume").length >= 1, 5_000, "a resume message");
    expect(ours("resume")[0]!.direction).toBe("reading");
  });

  it("publishes for Unix-socket connections too, with the same shapes", async () => {
    const seen = record("connect", "accept", "close");
    const directory = mkdtempSync(join(tmpdir(), "asyncstreams-diag-"));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, "s.sock");
    const server = await startUnixServer(
      async (reader, writer) => {
        writer.write(await reader.readLine());
        writer.close();
      },
      { path },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    writer.write(bytes("ping\n"));
    expect(text(await within(reader.readLine()))).toBe("ping\n");
    writer.close();
    await within(writer.waitClosed());
    await until(() => seen.filter((entry) => entry.name === "close").length === 2, 5_000, "two close messages");
    expect(
      seen
        .map((entry) => entry.name)
        .slice(0, 2)
        .sort(),
    ).toEqual(["accept", "connect"]);
    for (const entry of seen.filter((item) => item.name === "close")) {
      expect((entry.message as NetCloseMessage).bytesReceived).toBe(5);
    }
  });

  it("publishes nothing once unsubscribed, and channels report no subscribers by default", async () => {
    for (const name of Object.values(DIAGNOSTICS_CHANNELS)) expect(channel(name).hasSubscribers).toBe(false);
    const messages: unknown[] = [];
    const onMessage = (message: unknown): void => {
      messages.push(message);
    };
    subscribe(DIAGNOSTICS_CHANNELS.connect, onMessage);
    unsubscribe(DIAGNOSTICS_CHANNELS.connect, onMessage);
    const { server } = await serverWithClient();
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    expect(messages).toEqual([]);
  });
});
