import { once } from "node:events";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { TlsError, openUnixConnection } from "@asyncstreams/tls";
import type { OpenUnixConnectionOptions } from "@asyncstreams/tls";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { CA, SERVER } from "@asyncstreams/test-utils/certs";
import { closeAtEnd, serveHttp, tempDir } from "@asyncstreams/test-utils/node";
import { serverContext } from "./_helpers.js";

/** CPython's `run_test_unix_server(use_ssl=True)`: the HTTP test server, over TLS, on a Unix socket. */
async function startTlsUnixHttpServer(path: string): Promise<{ accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const secureContext = serverContext(SERVER);
  const listener = createServer((raw) => {
    accepted.push(raw);
    raw.on("error", () => undefined);
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    secure.on("error", () => undefined);
    secure.once("secure", () => serveHttp(secure));
  });
  listener.listen(path);
  await within(once(listener, "listening"));
  onTestFinished(async () => {
    for (const socket of accepted) socket.destroy();
    await within(new Promise<void>((resolve) => listener.close(() => resolve())));
  });
  return { accepted };
}

describe("openUnixConnection() over TLS", () => {
  // CPython test_open_unix_connection_no_loop_ssl: server_hostname is mandatory with a Unix socket.
  it("reads the TLS HTTP test server's response over a Unix socket, verified as localhost (test_open_unix_connection_no_loop_ssl)", async () => {
    const path = tempDir().path();
    await startTlsUnixHttpServer(path);
    const errors = vi.spyOn(console, "error");
    onTestFinished(() => errors.mockRestore());
    const { reader, writer } = await within(openUnixConnection({ path, tls: { ca: CA, serverName: "localhost" } }));
    closeAtEnd(writer);
    writer.write(bytes("GET / HTTP/1.0\r\n\r\n"));
    expect(text(await within(reader.read()))).toMatch(/^HTTP\/1.0 200 OK\r\n[^]*\r\n\r\nTest message$/);
    expect(writer.getExtraInfo("peername")).toBe(path);
    expect(writer.getExtraInfo("protocol")).toBe("TLSv1.3");
    writer.close();
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
  });

  it("requires tls.serverName, as asyncio requires server_hostname: TypeError before connecting", async () => {
    const path = tempDir().path();
    const { accepted } = await startTlsUnixHttpServer(path);
    const options = { path, tls: { ca: CA } } as unknown as OpenUnixConnectionOptions;
    await expect(openUnixConnection(options)).rejects.toThrow(
      /^Cannot open a TLS Unix connection: tls.serverName is required$/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted).toHaveLength(0);
  });

  it("checks the certificate against serverName: a name it lacks fails with TlsError ERR_TLS_CERT_ALTNAME_INVALID", async () => {
    const path = tempDir().path();
    await startTlsUnixHttpServer(path);
    const error: unknown = await within(
      openUnixConnection({ path, tls: { ca: CA, serverName: "example.test" } }).catch((failure: unknown) => failure),
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("refuses the server's certificate without the test CA: TlsError UNABLE_TO_VERIFY_LEAF_SIGNATURE", async () => {
    const path = tempDir().path();
    await startTlsUnixHttpServer(path);
    const error: unknown = await within(
      openUnixConnection({ path, tls: { serverName: "localhost" } }).catch((failure: unknown) => failure),
    );
    expect((error as TlsError).code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it.each([0, -100])("throws RangeError for handshakeTimeout %s before connecting", async (handshakeTimeout) => {
    const path = tempDir().path();
    const { accepted } = await startTlsUnixHttpServer(path);
    await expect(
      openUnixConnection({ path, tls: { ca: CA, serverName: "localhost" }, handshakeTimeout }),
    ).rejects.toThrow(RangeError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted).toHaveLength(0);
  });

  it("fails with TlsError ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT when the server never answers", async () => {
    const path = tempDir().path();
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      accepted.push(socket);
      socket.on("error", () => undefined);
    });
    silent.listen(path);
    await within(once(silent, "listening"));
    onTestFinished(async () => {
      for (const socket of accepted) socket.destroy();
      await within(new Promise<void>((resolve) => silent.close(() => resolve())));
    });
    const error: unknown = await within(
      openUnixConnection({ path, tls: { ca: CA, serverName: "localhost" }, handshakeTimeout: 200 }).catch(
        (failure: unknown) => failure,
      ),
    );
    expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT");
  });
});
