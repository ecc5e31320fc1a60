import { createServer as createTlsServer } from "node:tls";
import type { TLSSocket, TlsOptions as NodeTlsOptions } from "node:tls";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { NotImplementedError } from "@asyncstreams/buffer";
import { SocketError, TlsError, openConnection } from "@asyncstreams/tls";
import { bytes, deferred, text, until, within } from "@asyncstreams/test-utils";
import { CA, CLIENT, EXPIRED, LOCALHOST_ONLY, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, freePort, serveHttp, startRawServer, tcpSocketHandles } from "@asyncstreams/test-utils/node";
import { startNodeTlsPeer } from "./_helpers.js";

/** A Node `tls.Server` on 127.0.0.1:0, closed at the end of the test. */
async function startNodeTlsServer(
  options: NodeTlsOptions,
  onSecure: (socket: TLSSocket) => void,
): Promise<{ port: number; errors: Error[] }> {
  const errors: Error[] = [];
  const server = createTlsServer(options, (socket) => {
    socket.on("error", () => undefined);
    onSecure(socket);
  });
  server.on("tlsClientError", (error) => errors.push(error));
  await new Promise<void>((resolve) => server.listen({ host: HOST, port: 0 }, () => resolve()));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const sockets = new Set<TLSSocket>();
  server.on("secureConnection", (socket: TLSSocket) => sockets.add(socket));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await within(new Promise<void>((resolve) => server.close(() => resolve())), 5_000, "a Node TLS server to close");
  });
  return { port: address.port, errors };
}

/** A TLS server presenting `identity` that echoes one line, for the verification cases. */
async function startEchoPeer(identity: { key: string; cert: string }): Promise<number> {
  const raw = await startNodeTlsPeer((secure) => {
    secure.once("data", (chunk: Buffer) => secure.end(chunk));
  }, identity);
  return raw.port;
}

/** Opens a connection expected to fail verification and returns the error. */
async function failedConnection(port: number, tls: Parameters<typeof openConnection>[0]["tls"]): Promise<TlsError> {
  const error: unknown = await within(
    openConnection({ host: HOST, port, tls }).then(
      () => new Error("the connection was accepted"),
      (failure: unknown) => failure,
    ),
  );
  expect(error).toBeInstanceOf(TlsError);
  return error as TlsError;
}

describe("openConnection() over TLS", () => {
  // CPython test_open_connection_no_loop_ssl: the TLS HTTP test server, verified here with the
  // test CA where CPython's dummy_ssl_context() verifies nothing.
  it("talks to a TLS HTTP server verified with the test CA (test_open_connection_no_loop_ssl)", async () => {
    const raw = await startNodeTlsPeer((secure) => serveHttp(secure));
    const errors = vi.spyOn(console, "error"); // CPython: messages == []
    onTestFinished(() => errors.mockRestore());
    const { reader, writer } = await within(openConnection({ host: HOST, port: raw.port, tls: { ca: CA } }));
    closeAtEnd(writer);
    writer.write(bytes("GET / HTTP/1.0\r\n\r\n"));
    const response = text(await within(reader.read()));
    expect(response.startsWith("HTTP/1.0 200 OK\r\n")).toBe(true);
    expect(response.endsWith("\r\n\r\nTest message")).toBe(true);
    writer.close();
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
  });

  it("checks the certificate against the host: 127.0.0.1 matches the certificate's IP address", async () => {
    const port = await startEchoPeer(SERVER);
    const { reader, writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
    closeAtEnd(writer);
    writer.write(bytes("over TLS\n"));
    expect(text(await within(reader.readLine()))).toBe("over TLS\n");
    expect((writer.getExtraInfo("sslObject") as TLSSocket).authorized).toBe(true);
  });

  it("checks the certificate against tls.serverName when given, not against the host", async () => {
    const port = await startEchoPeer(LOCALHOST_ONLY);
    const { reader, writer } = await within(
      openConnection({ host: HOST, port, tls: { ca: CA, serverName: "localhost" } }),
    );
    closeAtEnd(writer);
    writer.write(bytes("by name\n"));
    expect(text(await within(reader.readLine()))).toBe("by name\n");
    expect((writer.getExtraInfo("sslObject") as TLSSocket).servername).toBe("localhost");
  });

  it("connects by the name localhost and sends it as SNI", async () => {
    const names = deferred<string | false | null>();
    const raw = await startNodeTlsPeer((secure) => {
      names.resolve(secure.servername);
      secure.end("hi\n");
    });
    const { reader, writer } = await within(
      openConnection({ host: "localhost", port: raw.port, family: 4, tls: { ca: CA } }),
    );
    closeAtEnd(writer);
    expect(text(await within(reader.readLine()))).toBe("hi\n");
    expect(await within(names.promise)).toBe("localhost");
  });

  it("refuses a certificate no trusted CA signed with TlsError UNABLE_TO_VERIFY_LEAF_SIGNATURE and the original error as cause", async () => {
    const port = await startEchoPeer(SERVER);
    const error = await failedConnection(port, {}); // Node's bundled roots do not include the test CA
    expect(error.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as { code?: string }).code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(error.message).toMatch(/^Cannot open a TLS connection: .*tls\.ca/); // startTls() is not what the user called
  });

  it("refuses a self-signed certificate with TlsError DEPTH_ZERO_SELF_SIGNED_CERT", async () => {
    const port = await startEchoPeer(SELF_SIGNED);
    const error = await failedConnection(port, { ca: CA });
    expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect((error.cause as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("refuses a certificate for another host name with TlsError ERR_TLS_CERT_ALTNAME_INVALID", async () => {
    const port = await startEchoPeer(SERVER);
    const error = await failedConnection(port, { ca: CA, serverName: "example.test" });
    expect(error.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect((error.cause as { code?: string }).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(error.message).toContain("example.test");
  });

  it("refuses a certificate without the IP address when connecting by IP and no serverName is given", async () => {
    const port = await startEchoPeer(LOCALHOST_ONLY);
    const error = await failedConnection(port, { ca: CA });
    expect(error.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(error.message).toContain("127.0.0.1");
  });

  it("refuses an expired certificate with TlsError CERT_HAS_EXPIRED", async () => {
    const port = await startEchoPeer(EXPIRED);
    const error = await failedConnection(port, { ca: CA });
    expect(error.code).toBe("CERT_HAS_EXPIRED");
    expect((error.cause as { code?: string }).code).toBe("CERT_HAS_EXPIRED");
  });

  it("closes the socket of a connection whose verification failed", async () => {
    const port = await startEchoPeer(SELF_SIGNED);
    const before = tcpSocketHandles();
    await failedConnection(port, { ca: CA });
    // Both ends of the refused connection are gone: ours, and the peer's once it saw us leave.
    await until(() => tcpSocketHandles() === before, 2_000, "the refused connection's sockets to close");
  });

  it("reports a TCP failure as SocketError ECONNREFUSED, not as a TlsError", async () => {
    const port = await freePort();
    const error: unknown = await within(
      openConnection({ host: HOST, port, tls: { ca: CA } }).catch((failure: unknown) => failure),
    );
    expect(error).toBeInstanceOf(SocketError);
    expect(error).not.toBeInstanceOf(TlsError);
    expect((error as SocketError).code).toBe("ECONNREFUSED");
  });

  it("exposes sslcontext, sslObject, peercert, cipher and protocol through getExtraInfo()", async () => {
    const port = await startEchoPeer(SERVER);
    const tls = { ca: CA };
    const { writer } = await within(openConnection({ host: HOST, port, tls }));
    closeAtEnd(writer);
    expect(writer.getExtraInfo("sslcontext")).toBeDefined();
    expect(writer.getExtraInfo("sslObject")).toBe(writer.getExtraInfo("socket"));
    const peercert = writer.getExtraInfo("peercert") as {
      subject: { CN: string };
      issuer: { CN: string };
      subjectaltname: string;
    };
    expect(peercert.subject.CN).toBe("localhost");
    expect(peercert.issuer.CN).toBe("asyncstreams test CA");
    expect(peercert.subjectaltname).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect((writer.getExtraInfo("cipher") as { name: string }).name).toMatch(/^TLS_/);
    expect(writer.getExtraInfo("protocol")).toBe("TLSv1.3");
    expect(writer.getExtraInfo("alpnProtocol")).toBe(false);
    expect(writer.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port });
  });

  it("sslcontext holds the options in force without the private key, so logging it leaks no key", async () => {
    const port = await startEchoPeer(SERVER);
    const { writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA, ...CLIENT } }));
    closeAtEnd(writer);
    const sslcontext = writer.getExtraInfo("sslcontext") as Record<string, unknown>;
    expect(sslcontext["ca"]).toBe(CA);
    expect(sslcontext["cert"]).toBe(CLIENT.cert);
    expect(sslcontext).not.toHaveProperty("key");
    expect(JSON.stringify(sslcontext)).not.toContain("PRIVATE KEY");
  });

  it("negotiates ALPN: alpnProtocol is the protocol both sides offered", async () => {
    const { port } = await startNodeTlsServer({ ...SERVER, ALPNProtocols: ["h2", "x-asyncstreams"] }, (socket) =>
      socket.end(`${String(socket.alpnProtocol)}\n`),
    );
    const { reader, writer } = await within(
      openConnection({ host: HOST, port, tls: { ca: CA, alpnProtocols: ["x-asyncstreams", "http/1.1"] } }),
    );
    closeAtEnd(writer);
    expect(writer.getExtraInfo("alpnProtocol")).toBe("x-asyncstreams");
    expect(text(await within(reader.readLine()))).toBe("x-asyncstreams\n");
  });

  it("fails the handshake when the server accepts none of the ALPN protocols offered", async () => {
    const { port } = await startNodeTlsServer({ ...SERVER, ALPNProtocols: ["h2"] }, (socket) => socket.end());
    const error: unknown = await within(
      openConnection({ host: HOST, port, tls: { ca: CA, alpnProtocols: ["x-other"] } }).catch(
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).code).toMatch(/ALPN|NO_APPLICATION_PROTOCOL/);
  });

  it("presents tls.key and tls.cert to a server that requests a client certificate", async () => {
    const { port } = await startNodeTlsServer(
      { ...SERVER, ca: CA, requestCert: true, rejectUnauthorized: true },
      (socket) => {
        const subject = socket.getPeerCertificate().subject as { CN?: string } | undefined;
        socket.end(`${String(socket.authorized)} ${subject?.CN ?? "none"}\n`);
      },
    );
    const { reader, writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA, ...CLIENT } }));
    closeAtEnd(writer);
    expect(text(await within(reader.readLine()))).toBe("true asyncstreams test client\n");
  });

  it("tells the truth about half-close: canWriteEof() is false and writeEof() throws NotImplementedError", async () => {
    const port = await startEchoPeer(SERVER);
    const { reader, writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
    closeAtEnd(writer);
    expect(writer.canWriteEof()).toBe(false);
    expect(() => writer.writeEof()).toThrow(NotImplementedError);
    // The connection is unharmed.
    writer.write(bytes("still open\n"));
    expect(text(await within(reader.readLine()))).toBe("still open\n");
  });

  it.each([0, -1, Number.NaN])(
    "throws RangeError for handshakeTimeout %s before connecting",
    async (handshakeTimeout) => {
      const raw = await startRawServer();
      await expect(openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, handshakeTimeout })).rejects.toThrow(
        RangeError,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(raw.accepted).toHaveLength(0);
    },
  );

  it.each([0, -5])("throws RangeError for shutdownTimeout %s before connecting", async (shutdownTimeout) => {
    const raw = await startRawServer();
    await expect(openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, shutdownTimeout })).rejects.toThrow(
      /shutdownTimeout should be a positive number/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raw.accepted).toHaveLength(0);
  });

  it("rejects with the signal's reason and closes the socket when aborted during the handshake", async () => {
    const raw = await startRawServer(); // accepts and never answers the ClientHello
    const controller = new AbortController();
    const reason = new Error("stop waiting");
    const opening = openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, signal: controller.signal });
    const server = await raw.nextSocket();
    controller.abort(reason);
    await expect(within(opening)).rejects.toBe(reason);
    // Our side closed the connection: the server sees its end.
    await within(
      new Promise((resolve) =>
        server.destroyed || server.readableEnded ? resolve(undefined) : server.once("close", resolve),
      ),
      2_000,
      "the server's socket to close",
    );
  });
});
