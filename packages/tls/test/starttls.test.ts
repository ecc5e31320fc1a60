import { randomBytes } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { openConnection, openUnixConnection, startServer, startUnixServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { ClientConnectedCallback, Transport } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { TlsError } from "@asyncstreams/tls";
import { connectWithPrefix } from "./_prefixed-socket.js";
import { bytes, concat, deferred, runBriefly, text, track, until, within } from "@asyncstreams/test-utils";
import { CA, LOCALHOST_ONLY, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, startRawServer, tempDir } from "@asyncstreams/test-utils/node";

/** A plain server from the net package, closed at the end of the test. */
async function startPlain(onClient: ClientConnectedCallback): Promise<Server> {
  const server = await startServer(onClient, { host: HOST, port: 0 });
  closeServerAtEnd(server);
  return server;
}

/**
 * A line server that upgrades on `STARTTLS` (answering `GO`), then echoes lines over TLS. What
 * happened on its side is in `outcome`: the upgrade's error, or the lines it echoed.
 */
async function startStartTlsServer(
  identity: { key: string; cert: string } = SERVER,
): Promise<{ server: Server; outcome: Promise<{ error?: unknown; lines: string[] }> }> {
  const done = deferred<{ error?: unknown; lines: string[] }>();
  const server = await startPlain(async (reader, writer) => {
    const lines: string[] = [];
    try {
      expect(text(await reader.readLine())).toBe("STARTTLS\n");
      writer.write(bytes("GO\n"));
      await writer.startTls({ ...identity });
      for await (const line of reader) {
        lines.push(text(line));
        writer.write(line);
      }
      done.resolve({ lines });
    } catch (error) {
      done.resolve({ error, lines });
    } finally {
      writer.close();
    }
  });
  return { server, outcome: done.promise };
}

/** Our plain client: sends STARTTLS, reads GO. */
async function plainClientReadyForTls(
  port: number,
  host = HOST,
): Promise<{ reader: StreamReader; writer: StreamWriter }> {
  const { reader, writer } = await within(openConnection({ host, port }));
  closeAtEnd(writer);
  writer.write(bytes("STARTTLS\n"));
  expect(text(await within(reader.readLine()))).toBe("GO\n");
  return { reader, writer };
}

describe("writer.startTls() on a connection from the net package", () => {
  // CPython test_start_tls (and reliability row D13).
  it("echoes a plain line, upgrades both sides, then echoes a TLS line through the same reader and writer (test_start_tls)", async () => {
    const errors = vi.spyOn(console, "error"); // CPython: messages == []
    onTestFinished(() => errors.mockRestore());
    const serverSide = deferred<{ before: unknown; after: unknown; line1: string; line2: string }>();
    const server = await startPlain(async (reader, writer) => {
      const line1 = await reader.readLine();
      writer.write(line1);
      await writer.drain();
      const before = writer.getExtraInfo("sslcontext");
      await writer.startTls({ ...SERVER });
      const after = writer.getExtraInfo("sslcontext");
      const line2 = await reader.readLine();
      writer.write(line2);
      await writer.drain();
      writer.close();
      await writer.waitClosed();
      serverSide.resolve({ before, after, line1: text(line1), line2: text(line2) });
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server) }));
    closeAtEnd(writer);
    writer.write(bytes("hello world 1!\n"));
    await writer.drain();
    const msg1 = await within(reader.readLine());
    expect(writer.getExtraInfo("sslcontext")).toBeUndefined();
    await within(writer.startTls({ ca: CA }));
    expect(writer.getExtraInfo("sslcontext")).toBeDefined();
    writer.write(bytes("hello world 2!\n"));
    await writer.drain();
    const msg2 = await within(reader.readLine());
    writer.close();
    await within(writer.waitClosed());
    expect(text(msg1)).toBe("hello world 1!\n");
    expect(text(msg2)).toBe("hello world 2!\n");
    const seen = await within(serverSide.promise);
    expect(seen).toEqual({
      before: undefined,
      after: seen.after,
      line1: "hello world 1!\n",
      line2: "hello world 2!\n",
    });
    expect(seen.after).toBeDefined();
    // The options in force, without the server's private key: logging them must not leak it.
    expect(seen.after).toHaveProperty("cert");
    expect(seen.after).not.toHaveProperty("key");
    expect(JSON.stringify(seen.after)).not.toContain("PRIVATE KEY");
    expect(errors).not.toHaveBeenCalled();
  });

  // CPython test_start_tls_buffered_data (gh-142352): the ClientHello is already in the reader's
  // buffer when the server upgrades.
  it("completes the handshake with a ClientHello already buffered in the server's reader (test_start_tls_buffered_data)", async () => {
    const errors = vi.spyOn(console, "error");
    onTestFinished(() => errors.mockRestore());
    const buffered = deferred<number>();
    const server = await startPlain(async (reader, writer) => {
      await until(() => reader.bufferedBytes().length > 0, 5_000, "the ClientHello to be buffered");
      buffered.resolve(reader.bufferedBytes().length);
      await writer.startTls({ ...SERVER });
      writer.write(concat([bytes("pong: "), await reader.readLine()]));
      await writer.drain();
      writer.close();
      await writer.waitClosed();
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server) }));
    closeAtEnd(writer);
    await within(writer.startTls({ ca: CA }), 5_000, "the handshake (it hung before gh-142352)");
    writer.write(bytes("ping\n"));
    expect(text(await within(reader.readLine()))).toBe("pong: ping\n");
    expect(await within(buffered.promise)).toBeGreaterThan(0);
    expect(errors).not.toHaveBeenCalled();
  });

  // Reliability row D10, the PROXY-header shape of gh-142352: one write carries a plaintext line
  // and the ClientHello, so readLine() leaves the ClientHello in the reader.
  it("completes the handshake when a PROXY line and the ClientHello arrive together, and never returns TLS bytes as plaintext", async () => {
    const serverSide = deferred<{ header: string; leftover: number; line: string }>();
    const server = await startPlain(async (reader, writer) => {
      const header = text(await reader.readLine());
      const leftover = reader.bufferedBytes().length; // the ClientHello, or part of it
      await writer.startTls({ ...SERVER });
      const line = text(await reader.readLine());
      writer.write(bytes(`echo ${line}`));
      serverSide.resolve({ header, leftover, line });
      await writer.drain();
      writer.close();
    });
    const client = await connectWithPrefix(portOf(server), bytes("PROXY TCP4 192.0.2.1 192.0.2.2 56324 443\r\n"), {
      ca: CA,
      servername: "localhost",
    });
    await within(client.connected, 5_000, "the TLS handshake after a PROXY line");
    client.secure.write("over TLS\n");
    await until(() => client.received() === "echo over TLS\n", 5_000, "the echo over TLS");
    const seen = await within(serverSide.promise);
    expect(seen.header).toBe("PROXY TCP4 192.0.2.1 192.0.2.2 56324 443\r\n");
    expect(seen.line).toBe("over TLS\n");
    // The single write reached the server in one read: the ClientHello was in the reader's buffer.
    expect(seen.leftover).toBeGreaterThan(0);
  });

  it("upgrades when our client writes a line and starts TLS at once, without waiting for an answer", async () => {
    const server = await startPlain(async (reader, writer) => {
      expect(text(await reader.readLine())).toBe("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n");
      await writer.startTls({ ...SERVER });
      writer.write(await reader.readLine());
      await writer.drain();
      writer.close();
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server) }));
    closeAtEnd(writer);
    writer.write(bytes("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n"));
    await within(writer.startTls({ ca: CA }));
    writer.write(bytes("right behind\n"));
    expect(text(await within(reader.readLine()))).toBe("right behind\n");
  });

  it("keeps the server's reader, writer and client tracking: closeClients() closes the upgraded connection", async () => {
    const upgraded = deferred();
    const server = await startPlain(async (reader, writer) => {
      await reader.readLine();
      writer.write(bytes("GO\n"));
      await writer.startTls({ ...SERVER });
      upgraded.resolve();
      await reader.read();
    });
    const { reader, writer } = await plainClientReadyForTls(portOf(server));
    await within(writer.startTls({ ca: CA }));
    await within(upgraded.promise);
    server.close();
    server.closeClients();
    await within(server.waitClosed());
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
  });

  it("exposes the TLS socket as getExtraInfo('socket') after the upgrade and keeps peername", async () => {
    const { server } = await startStartTlsServer();
    const { writer } = await plainClientReadyForTls(portOf(server));
    const plainSocket = writer.getExtraInfo("socket");
    const peername = writer.getExtraInfo("peername");
    await within(writer.startTls({ ca: CA }));
    const secure = writer.getExtraInfo("socket") as TLSSocket;
    expect(secure).not.toBe(plainSocket);
    expect(secure.encrypted).toBe(true);
    expect(writer.getExtraInfo("sslObject")).toBe(secure);
    expect(writer.getExtraInfo("peername")).toEqual(peername);
    expect(writer.getExtraInfo("protocol")).toBe("TLSv1.3");
    expect((writer.getExtraInfo("peercert") as { subject: { CN: string } }).subject.CN).toBe("localhost");
  });

  it("throws InvalidStateError for writes while the handshake runs, and none of them reaches the wire", async () => {
    const raw = await startRawServer(); // never answers the ClientHello
    const { writer } = await within(openConnection({ host: HOST, port: raw.port }));
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received: Uint8Array[] = [];
    peer.on("data", (chunk: Buffer) => received.push(chunk));
    const upgrading = track(writer.startTls({ ca: CA, handshakeTimeout: 5_000 }));
    await until(() => received.length > 0, 2_000, "the ClientHello");
    expect(() => writer.write(bytes("plaintext during the handshake\n"))).toThrow(InvalidStateError);
    expect(() => writer.writeLines([bytes("a\n"), bytes("b\n")])).toThrow(InvalidStateError);
    await runBriefly(5);
    const wire = concat(received);
    expect(wire[0]).toBe(0x16); // a TLS handshake record, the ClientHello
    expect(text(wire)).not.toContain("plaintext");
    writer.close();
    await within(upgrading.promise.catch(() => undefined));
    expect(upgrading.settled).toBe(true);
  });

  it("rejects a second startTls() while the first runs with InvalidStateError", async () => {
    const raw = await startRawServer();
    const { writer } = await within(openConnection({ host: HOST, port: raw.port }));
    closeAtEnd(writer);
    const first = track(writer.startTls({ ca: CA }));
    await runBriefly(2);
    await expect(within(writer.startTls({ ca: CA }))).rejects.toThrow(InvalidStateError);
    writer.close();
    await within(first.promise.catch(() => undefined));
  });

  it("rejects startTls() on a connection that already uses TLS with InvalidStateError", async () => {
    const { server } = await startStartTlsServer();
    const { reader, writer } = await plainClientReadyForTls(portOf(server));
    await within(writer.startTls({ ca: CA }));
    await expect(within(writer.startTls({ ca: CA }))).rejects.toThrow(/already uses TLS/);
    // The TLS connection is unharmed.
    writer.write(bytes("still fine\n"));
    expect(text(await within(reader.readLine()))).toBe("still fine\n");
  });

  it("makes canWriteEof() false after the upgrade, and writeEof() throw", async () => {
    const { server } = await startStartTlsServer();
    const { writer } = await plainClientReadyForTls(portOf(server));
    expect(writer.canWriteEof()).toBe(true);
    await within(writer.startTls({ ca: CA }));
    expect(writer.canWriteEof()).toBe(false);
    expect(() => writer.writeEof()).toThrow(/writeEof over TLS/);
  });

  it("fails the connection with the TlsError when the upgrade fails: reads reject with the same error", async () => {
    const { server, outcome } = await startStartTlsServer(LOCALHOST_ONLY);
    const { reader, writer } = await plainClientReadyForTls(portOf(server));
    const error: unknown = await within(writer.startTls({ ca: CA }).catch((failure: unknown) => failure));
    expect(error).toBeInstanceOf(TlsError);
    await expect(within(reader.read())).rejects.toBe(error);
    await expect(within(writer.waitClosed())).rejects.toBe(error);
    expect((await within(outcome)).error).toBeInstanceOf(TlsError);
  });

  it("applies the reader's back-pressure to the TLS transport after the upgrade", async () => {
    const size = 32 * 1024 * 1024;
    const payload = randomBytes(size);
    const drained = deferred();
    const server = await startPlain(async (reader, writer) => {
      await reader.readLine();
      writer.write(bytes("GO\n"));
      await writer.startTls({ ...SERVER });
      writer.write(payload);
      await writer.drain();
      drained.resolve();
      writer.close();
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server), limit: 16 * 1024 }));
    closeAtEnd(writer);
    writer.write(bytes("STARTTLS\n"));
    expect(text(await within(reader.readLine()))).toBe("GO\n");
    await within(writer.startTls({ ca: CA }));
    const secure = writer.getExtraInfo("socket") as TLSSocket;
    await until(() => !(writer.transport as Transport).isReading(), 5_000, "the reader to pause the TLS transport");
    expect(secure.isPaused()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stillWaiting = track(drained.promise);
    await runBriefly(1);
    expect(stillWaiting.settled).toBe(false); // the server cannot finish while we do not read
    const received = await within(reader.readExactly(size), 15_000, "32 MiB over TLS");
    expect(Buffer.from(received).equals(payload)).toBe(true);
    await within(drained.promise);
  });

  describe("which name the client checks (reliability row D5)", () => {
    it("checks the IP address a connection was opened to when no serverName is given, never a silent 'localhost'", async () => {
      const { server } = await startStartTlsServer(LOCALHOST_ONLY);
      const { writer } = await plainClientReadyForTls(portOf(server));
      const error: unknown = await within(writer.startTls({ ca: CA }).catch((failure: unknown) => failure));
      expect((error as TlsError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
      expect((error as TlsError).message).toContain("127.0.0.1");
    });

    it("accepts the certificate's IP address when the connection was opened by IP", async () => {
      const { server } = await startStartTlsServer(SERVER);
      const { reader, writer } = await plainClientReadyForTls(portOf(server));
      await within(writer.startTls({ ca: CA }));
      writer.write(bytes("by IP\n"));
      expect(text(await within(reader.readLine()))).toBe("by IP\n");
    });

    it("checks serverName when given: localhost matches a certificate without the IP address", async () => {
      const { server } = await startStartTlsServer(LOCALHOST_ONLY);
      const { reader, writer } = await plainClientReadyForTls(portOf(server));
      await within(writer.startTls({ ca: CA, serverName: "localhost" }));
      expect((writer.getExtraInfo("sslObject") as TLSSocket).servername).toBe("localhost");
      writer.write(bytes("by name\n"));
      expect(text(await within(reader.readLine()))).toBe("by name\n");
    });

    it("checks serverName when given: a name the certificate lacks fails with ERR_TLS_CERT_ALTNAME_INVALID", async () => {
      const { server } = await startStartTlsServer(SERVER);
      const { writer } = await plainClientReadyForTls(portOf(server));
      const error: unknown = await within(
        writer.startTls({ ca: CA, serverName: "example.test" }).catch((failure: unknown) => failure),
      );
      expect((error as TlsError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
      expect((error as TlsError).message).toContain("example.test");
    });

    it("checks the host name a connection was opened to", async () => {
      const { server } = await startStartTlsServer(LOCALHOST_ONLY);
      const { reader, writer } = await plainClientReadyForTls(portOf(server), "localhost");
      await within(writer.startTls({ ca: CA }));
      writer.write(bytes("by host\n"));
      expect(text(await within(reader.readLine()))).toBe("by host\n");
    });

    it("requires serverName on a Unix socket, which has no host name to check: TypeError", async () => {
      const path = tempDir().path();
      const server = await startUnixServer(
        async (reader, writer) => {
          await reader.readLine();
          writer.write(bytes("GO\n"));
          await writer.startTls({ ...SERVER }).catch(() => undefined);
        },
        { path },
      );
      closeServerAtEnd(server);
      const { reader, writer } = await within(openUnixConnection({ path }));
      closeAtEnd(writer);
      writer.write(bytes("STARTTLS\n"));
      await within(reader.readLine());
      await expect(within(writer.startTls({ ca: CA }))).rejects.toThrow(/serverName is required/);
    });

    it("upgrades a Unix socket connection with serverName", async () => {
      const path = tempDir().path();
      const server = await startUnixServer(
        async (reader, writer) => {
          await reader.readLine();
          writer.write(bytes("GO\n"));
          await writer.startTls({ ...SERVER });
          writer.write(await reader.readLine());
          writer.close();
        },
        { path },
      );
      closeServerAtEnd(server);
      const { reader, writer } = await within(openUnixConnection({ path }));
      closeAtEnd(writer);
      writer.write(bytes("STARTTLS\n"));
      expect(text(await within(reader.readLine()))).toBe("GO\n");
      await within(writer.startTls({ ca: CA, serverName: "localhost" }));
      writer.write(bytes("over a Unix socket\n"));
      expect(text(await within(reader.readLine()))).toBe("over a Unix socket\n");
    });
  });
});
