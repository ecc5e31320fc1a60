import { connect as tlsConnect } from "node:tls";
import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { Server, TlsError, openConnection, startServer } from "@asyncstreams/tls";
import type { StartServerOptions } from "@asyncstreams/tls";
import { bytes, deferred, text, within } from "@asyncstreams/test-utils";
import { CA, CLIENT, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

/** Our TLS server on 127.0.0.1:0, closed at the end of the test. */
async function start(onClient: ClientConnectedCallback, options: Partial<StartServerOptions> = {}): Promise<Server> {
  const server = await startServer(onClient, { host: HOST, port: 0, tls: SERVER, ...options });
  closeServerAtEnd(server);
  return server;
}

/** A handler that echoes one line and closes. */
const echoLine: ClientConnectedCallback = async (reader, writer) => {
  writer.write(await reader.readLine());
  await writer.drain();
  writer.close();
  await writer.waitClosed();
};

/** Handshake failures reported to onHandshakeError, in order. */
function handshakeErrors(): {
  errors: unknown[];
  next: Promise<unknown>;
  onHandshakeError: StartServerOptions["onHandshakeError"];
} {
  const errors: unknown[] = [];
  const first = deferred<unknown>();
  return {
    errors,
    next: first.promise,
    onHandshakeError: (error) => {
      errors.push(error);
      first.resolve(error);
    },
  };
}

describe("startServer() over TLS", () => {
  // CPython test_start_server with the TLS connector and server on both ends.
  it("echoes a line between our TLS client and our TLS server (test_start_server over TLS)", async () => {
    const server = await start(echoLine);
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
    closeAtEnd(writer);
    writer.write(bytes("hello world!\n"));
    expect(text(await within(reader.readLine()))).toBe("hello world!\n");
    writer.close();
    await within(writer.waitClosed());
  });

  it("hands onClient a reader and writer that already speak TLS", async () => {
    const seen = deferred<{ sslcontext: unknown; protocol: unknown; canWriteEof: boolean }>();
    const server = await start(async (reader, writer) => {
      seen.resolve({
        sslcontext: writer.getExtraInfo("sslcontext"),
        protocol: writer.getExtraInfo("protocol"),
        canWriteEof: writer.canWriteEof(),
      });
      await echoLine(reader, writer);
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
    closeAtEnd(writer);
    writer.write(bytes("x\n"));
    await within(reader.readLine());
    const info = await within(seen.promise);
    expect(info.sslcontext).toBeDefined();
    expect(info.protocol).toBe("TLSv1.3");
    expect(info.canWriteEof).toBe(false);
  });

  it("serves a Node tls.connect() client that verifies the server with the test CA", async () => {
    const server = await start(echoLine);
    const socket: TLSSocket = tlsConnect({ host: HOST, port: portOf(server), ca: CA });
    socket.on("error", () => undefined);
    try {
      await within(new Promise((resolve) => socket.once("secureConnect", resolve)));
      expect(socket.authorized).toBe(true);
      socket.write("from node:tls\n");
      const reply = await within(
        new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString()))),
      );
      expect(reply).toBe("from node:tls\n");
    } finally {
      socket.destroy();
    }
  });

  it("reports a client that refuses the certificate to onHandshakeError, never to onClient, and goes on serving", async () => {
    const calls: string[] = [];
    const failures = handshakeErrors();
    const server = await start(
      async (reader, writer) => {
        calls.push("onClient");
        await echoLine(reader, writer);
      },
      { tls: SELF_SIGNED, onHandshakeError: failures.onHandshakeError },
    );
    const refused: unknown = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }).catch((error: unknown) => error),
    );
    expect((refused as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    const reported = await within(failures.next, 5_000, "onHandshakeError");
    expect(reported).toBeInstanceOf(TlsError);
    expect(calls).toEqual([]);
    // The next client, trusting this certificate, is served.
    const { reader, writer } = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: SELF_SIGNED.cert } }),
    );
    closeAtEnd(writer);
    writer.write(bytes("served\n"));
    expect(text(await within(reader.readLine()))).toBe("served\n");
    expect(calls).toEqual(["onClient"]);
  });

  it("passes the client's address to onHandshakeError", async () => {
    const context = deferred<{ message: string; peername: unknown }>();
    const server = await start(echoLine, {
      tls: SELF_SIGNED,
      onHandshakeError: (_error, details) => context.resolve(details),
    });
    const opened = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }).catch(() => undefined),
    );
    expect(opened).toBeUndefined();
    const details = await within(context.promise);
    expect(details.message).toBe("TLS handshake failed");
    expect(details.peername).toMatchObject({ address: HOST, family: "IPv4" });
  });

  it("negotiates ALPN with tls.alpnProtocols on the server", async () => {
    const chosen = deferred<unknown>();
    const server = await start(
      async (reader, writer) => {
        chosen.resolve(writer.getExtraInfo("alpnProtocol"));
        await echoLine(reader, writer);
      },
      { tls: { ...SERVER, alpnProtocols: ["x-asyncstreams", "http/1.1"] } },
    );
    const { reader, writer } = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, alpnProtocols: ["http/1.1"] } }),
    );
    closeAtEnd(writer);
    expect(writer.getExtraInfo("alpnProtocol")).toBe("http/1.1");
    writer.write(bytes("alpn\n"));
    await within(reader.readLine());
    expect(await within(chosen.promise)).toBe("http/1.1");
  });

  describe("with requestCert", () => {
    const tls = { ...SERVER, ca: CA, requestCert: true };

    it("accepts a CA-signed client certificate and shows it as peercert", async () => {
      const seen = deferred<{ peercert: unknown; authorized: boolean }>();
      const server = await start(
        async (reader, writer) => {
          seen.resolve({
            peercert: writer.getExtraInfo("peercert"),
            authorized: (writer.getExtraInfo("sslObject") as TLSSocket).authorized,
          });
          await echoLine(reader, writer);
        },
        { tls },
      );
      const { reader, writer } = await within(
        openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, ...CLIENT } }),
      );
      closeAtEnd(writer);
      writer.write(bytes("with a certificate\n"));
      expect(text(await within(reader.readLine()))).toBe("with a certificate\n");
      const { peercert, authorized } = await within(seen.promise);
      expect((peercert as { subject: { CN: string } }).subject.CN).toBe("asyncstreams test client");
      expect(authorized).toBe(true);
    });

    // A bare server-side TLSSocket accepts any client certificate unless the result is checked.
    it("refuses a client whose certificate no trusted CA signed, before onClient (DEPTH_ZERO_SELF_SIGNED_CERT)", async () => {
      const calls: string[] = [];
      const failures = handshakeErrors();
      const server = await start(
        async (reader, writer) => {
          calls.push("onClient");
          await echoLine(reader, writer);
        },
        { tls, onHandshakeError: failures.onHandshakeError },
      );
      const opened = await within(
        openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, ...SELF_SIGNED } }),
      );
      closeAtEnd(opened.writer);
      const reported = await within(failures.next, 5_000, "onHandshakeError");
      expect(reported).toBeInstanceOf(TlsError);
      expect((reported as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      // TLS 1.3: the client finished its side first, then finds the connection closed.
      opened.writer.write(bytes("let me in\n"));
      const answer = await within(opened.reader.read().catch((error: unknown) => error));
      expect(answer instanceof Uint8Array ? answer.length : 0).toBe(0);
      expect(calls).toEqual([]);
    });

    it("refuses a client that presents no certificate", async () => {
      const calls: string[] = [];
      const failures = handshakeErrors();
      const server = await start(
        async (reader, writer) => {
          calls.push("onClient");
          await echoLine(reader, writer);
        },
        { tls, onHandshakeError: failures.onHandshakeError },
      );
      const opened = await within(
        openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }).catch(() => undefined),
      );
      if (opened !== undefined) closeAtEnd(opened.writer);
      const reported = await within(failures.next, 5_000, "onHandshakeError");
      expect((reported as TlsError).code).toBe("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE");
      expect(calls).toEqual([]);
    });
  });

  it("closes a TLS client's connection on closeClients() and waitClosed() resolves", async () => {
    const entered = deferred();
    const server = await start(async (reader) => {
      entered.resolve();
      await reader.read();
    });
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
    closeAtEnd(writer);
    await within(entered.promise);
    server.close();
    server.closeClients();
    await within(server.waitClosed());
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
  });

  it("throws TypeError when onClient is not a function", async () => {
    await expect(
      startServer(undefined as unknown as ClientConnectedCallback, { host: HOST, port: 0, tls: SERVER }),
    ).rejects.toThrow(TypeError);
  });

  it.each([0, -1])("throws RangeError for handshakeTimeout %s before listening", async (handshakeTimeout) => {
    await expect(startServer(echoLine, { host: HOST, port: 0, tls: SERVER, handshakeTimeout })).rejects.toThrow(
      /^Cannot start a TLS server: handshakeTimeout should be a positive number/,
    );
  });

  it("throws RangeError for a negative shutdownTimeout before listening", async () => {
    await expect(startServer(echoLine, { host: HOST, port: 0, tls: SERVER, shutdownTimeout: -1 })).rejects.toThrow(
      RangeError,
    );
  });

  it("is a Server from the net package, disposable with await using", async () => {
    let port = 0;
    {
      await using server = await startServer(echoLine, { host: HOST, port: 0, tls: SERVER });
      expect(server).toBeInstanceOf(Server);
      port = portOf(server);
      expect(server.isServing()).toBe(true);
    }
    const error: unknown = await within(
      openConnection({ host: HOST, port, tls: { ca: CA } }).catch((failure: unknown) => failure),
    );
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
  });
});
