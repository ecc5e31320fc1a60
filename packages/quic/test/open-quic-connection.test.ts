import { describe, expect, it } from "vitest";
import { ConnectionResetError, HandshakeError } from "@asyncstreams/protocol";
import { openQuicConnection, QuicHandshakeError, QuicStreamTransport } from "@asyncstreams/quic";
import type { StreamReader } from "@asyncstreams/reader";
import { ALPN, bytes, fixture, HOST, testClient, testServer, text, within } from "./_helpers.js";

async function readAll(reader: StreamReader): Promise<string> {
  return text(await within(reader.read(), 10_000, "EOF"));
}

describe("openQuicConnection() and startQuicServer()", { timeout: 120_000 }, () => {
  it("echoes lines over one stream and reads the peer's FIN as EOF", async () => {
    const { port } = await testServer(async (reader, writer) => {
      for await (const line of reader) writer.write(line);
      writer.close();
    });
    const conn = await testClient(port);
    expect(conn.getExtraInfo("alpnProtocol")).toBe(ALPN[0]);
    expect(conn.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port });
    const { reader, writer } = await conn.openStream();
    writer.write(bytes("one\ntwo\n"));
    expect(text(await within(reader.readLine()))).toBe("one\n");
    writer.writeEof();
    expect(await readAll(reader)).toBe("two\n");
    expect(reader.atEof()).toBe(true);
  });

  it("writeEof() half-closes: the server still writes back after reading EOF", async () => {
    const { port } = await testServer(async (reader, writer) => {
      const all = await reader.read();
      writer.write(bytes(`got ${all.length} bytes`));
      writer.close();
    });
    const conn = await testClient(port);
    const { reader, writer } = await conn.openStream();
    writer.write(new Uint8Array(5000));
    writer.writeEof();
    expect(writer.canWriteEof()).toBe(true);
    expect(await readAll(reader)).toBe("got 5000 bytes");
  });

  it("serves several concurrent streams of one connection, byte-exact", async () => {
    const { port } = await testServer(async (reader, writer) => {
      writer.write(await reader.read());
      writer.close();
    });
    const conn = await testClient(port);
    const payloads = [0, 1, 2, 3].map((n) =>
      Uint8Array.from({ length: 3000 + n * 1000 }, (_, i) => (i * 7 + n) & 0xff),
    );
    const results = await Promise.all(
      payloads.map(async (payload) => {
        const { reader, writer } = await conn.openStream();
        writer.write(payload);
        writer.writeEof();
        return within(reader.read());
      }),
    );
    results.forEach((result, n) => expect(result).toEqual(payloads[n]));
  });

  it("a peer's reset surfaces as ConnectionResetError with the application code as a bigint", async () => {
    const { port } = await testServer(async (reader, writer) => {
      await reader.readLine();
      (writer.transport as QuicStreamTransport).abort(0x1234n);
    });
    const conn = await testClient(port);
    const { reader, writer } = await conn.openStream();
    writer.write(bytes("reset me\n"));
    const error = await within(reader.read().catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ConnectionResetError);
    expect((error as ConnectionResetError).code).toBe("ECONNRESET");
    expect((error as ConnectionResetError).applicationCode).toBe(0x1234n);
  });

  it("closing the connection ends every open stream's reads and drain() with an error naming the code", async () => {
    const { port } = await testServer(null, {
      onConnection: async (connection) => {
        let seen = 0;
        for await (const _ of connection.incomingStreams)
          if (++seen === 2) connection.close({ code: 42, reason: "done" });
      },
    });
    const conn = await testClient(port);
    const a = await conn.openStream();
    const b = await conn.openStream();
    a.writer.write(bytes("a"));
    b.writer.write(bytes("b"));
    const errors = await within(
      Promise.all([a.reader.read(), b.reader.readLine()].map((p) => p.catch((e: unknown) => e))),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectionResetError);
      expect((error as ConnectionResetError).applicationCode).toBe(42n);
      expect((error as Error).message).toMatch(/code 42 \(done\)/);
    }
    await expect(a.writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
    const info = await within(conn.closed);
    expect(info).toMatchObject({ code: 42n, reason: "done", remote: true });
    await expect(b.reader.read()).rejects.toBe(errors[1]);
  });

  it("a unidirectional stream we open has a reader at EOF; the peer's writer for it refuses writes", async () => {
    const received: string[] = [];
    let writeError: unknown;
    const { port } = await testServer(async (reader, writer) => {
      try {
        writer.write(bytes("x"));
      } catch (error) {
        writeError = error;
      }
      expect(writer.canWriteEof()).toBe(false);
      received.push(text(await reader.read()));
      writer.close();
    });
    const conn = await testClient(port);
    const { reader, writer } = await conn.openStream({ unidirectional: true });
    expect(text(await within(reader.read()))).toBe("");
    expect(reader.atEof()).toBe(true);
    writer.write(bytes("one way"));
    writer.close();
    await within(writer.waitClosed());
    await within(
      (async () => {
        while (received.length === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
    );
    expect(received).toEqual(["one way"]);
    expect(writeError).toBeInstanceOf(TypeError);
  });

  it("verifies the certificate by default: a client without the CA fails the handshake", async () => {
    const { port } = await testServer(() => undefined);
    const error = await openQuicConnection({
      host: HOST,
      port,
      tls: { serverName: "localhost", alpnProtocols: ALPN },
      handshakeTimeout: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuicHandshakeError);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as QuicHandshakeError).code).toBe("ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED");
  });

  it("verifies the name: a server name the certificate does not list fails the handshake", async () => {
    const { port } = await testServer(() => undefined);
    const error = await openQuicConnection({
      host: HOST,
      port,
      tls: { ca: fixture("ca.pem"), serverName: "example.com", alpnProtocols: ALPN },
      handshakeTimeout: 10_000,
    }).catch((e: unknown) => e);
    expect((error as QuicHandshakeError).code).toBe("ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED");
  });

  it("a handshake that stalls ends at handshakeTimeout with QuicHandshakeError", async () => {
    const { createSocket } = await import("node:dgram");
    const silent = createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind(0, HOST, resolve));
    try {
      const started = Date.now();
      const error = await within(
        openQuicConnection({
          host: HOST,
          port: silent.address().port,
          tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
          handshakeTimeout: 300,
        }).catch((e: unknown) => e),
      );
      expect((error as QuicHandshakeError).code).toBe("ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT");
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      silent.close();
    }
  });

  it("refuses unknown option names and a missing ALPN list with TypeError", async () => {
    const tls = { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN };
    await expect(openQuicConnection({ host: HOST, port: 1, tls, timeout: 5 } as never)).rejects.toThrow(
      /unknown option "timeout"/,
    );
    await expect(
      openQuicConnection({ host: HOST, port: 1, tls: { ...tls, servername: "x" } as never }),
    ).rejects.toThrow(TypeError);
    await expect(openQuicConnection({ host: HOST, port: 1, tls: { ca: tls.ca } as never })).rejects.toThrow(
      /alpnProtocols/,
    );
    await expect(openQuicConnection({ host: HOST, port: 1, tls: { alpnProtocols: ALPN } })).rejects.toThrow(
      /serverName/,
    );
  });

  it("refuses bad writeBufferLimits with a RangeError before sending a packet", async () => {
    const tls = { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN };
    await expect(
      openQuicConnection({ host: HOST, port: 1, tls, writeBufferLimits: { high: 1, low: 5 } }),
    ).rejects.toThrow(RangeError);
  });
});
