import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { openConnection, startServer } from "@asyncstreams/tls";
import type { StartServerOptions, TlsServer } from "@asyncstreams/tls";
import { bytes, deferred, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";
import { CA, CLIENT, LOCALHOST_ONLY, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";

/** Echoes lines until EOF. */
const echoLines: ClientConnectedCallback = async (reader, writer) => {
  for (let line = await reader.readLine(); line.length > 0; line = await reader.readLine()) writer.write(line);
  writer.close();
};

async function start(
  options: Partial<StartServerOptions> = {},
  onClient: ClientConnectedCallback = echoLines,
): Promise<TlsServer> {
  const server = await startServer(onClient, { host: HOST, port: 0, tls: SERVER, ...options });
  closeServerAtEnd(server);
  return server;
}

/** The serial number of the certificate a client connection was shown. */
function serialSeenBy(writer: { getExtraInfo(name: string): unknown }): string {
  return (writer.getExtraInfo("peercert") as { serialNumber: string }).serialNumber;
}

describe("TlsServer.setTlsOptions(): certificate rotation", () => {
  it("serves new connections with the new certificate while a live connection carries on with the old one", async () => {
    const server = await start();
    const port = portOf(server);
    const before = await within(openConnection({ host: HOST, port, tls: { ca: CA, serverName: "localhost" } }));
    closeAtEnd(before.writer);
    before.writer.write(bytes("before\n"));
    expect(text(await within(before.reader.readLine()))).toBe("before\n");
    expect(serialSeenBy(before.writer)).toBe("1001"); // server.pem

    server.setTlsOptions(LOCALHOST_ONLY);

    const after = await within(openConnection({ host: HOST, port, tls: { ca: CA, serverName: "localhost" } }));
    closeAtEnd(after.writer);
    after.writer.write(bytes("after\n"));
    expect(text(await within(after.reader.readLine()))).toBe("after\n");
    expect(serialSeenBy(after.writer)).toBe("1002"); // localhost-only.pem
    // The new certificate has no IP address: a client that checks 127.0.0.1 now refuses it.
    const byIp = await within(openConnection({ host: HOST, port, tls: { ca: CA } }).catch((error: unknown) => error));
    expect((byIp as { code?: string }).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");

    // The connection made before the rotation was never interrupted.
    before.writer.write(bytes("still the old one\n"));
    expect(text(await within(before.reader.readLine()))).toBe("still the old one\n");
    expect(serialSeenBy(before.writer)).toBe("1001");
  });

  it("throws for a key that does not load and keeps serving with the old certificate", async () => {
    const server = await start();
    expect(() => server.setTlsOptions({ key: "not a key", cert: SERVER.cert })).toThrow();
    const client = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
    closeAtEnd(client.writer);
    client.writer.write(bytes("ok\n"));
    expect(text(await within(client.reader.readLine()))).toBe("ok\n");
    expect(serialSeenBy(client.writer)).toBe("1001");
  });

  it("checks the new settings as startServer() does: refused ones throw TypeError and the old certificate keeps serving", async () => {
    const server = await start();
    const refused: [unknown, RegExp][] = [
      [{}, /^Cannot set the TLS options: tls has no key and cert; pass the server's key and cert/],
      [undefined, /^Cannot set the TLS options: tls should be an object of TLS options, got undefined$/],
      [
        { ...SERVER, servername: "x" },
        /unknown TLS option "servername"; Node's "servername" is spelled "serverName" here$/,
      ],
      [
        { ...SERVER, handshakeTimeout: 5 },
        /^Cannot set the TLS options: handshakeTimeout cannot be changed on a running server/,
      ],
      [{ ...SERVER, shutdownTimeout: 5 }, /shutdownTimeout cannot be changed on a running server/],
    ];
    for (const [tls, message] of refused) {
      expect(() => server.setTlsOptions(tls as never)).toThrow(TypeError);
      expect(() => server.setTlsOptions(tls as never)).toThrow(message);
    }
    const client = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
    closeAtEnd(client.writer);
    client.writer.write(bytes("ok\n"));
    expect(text(await within(client.reader.readLine()))).toBe("ok\n");
    expect(serialSeenBy(client.writer)).toBe("1001");
  });

  it("turns client certificates on for new connections (mTLS after the swap)", async () => {
    const seen = deferred<unknown>();
    const server = await start({}, async (reader, writer) => {
      seen.resolve(writer.getExtraInfo("peercert"));
      await echoLines(reader, writer);
    });
    server.setTlsOptions({ ...SERVER, ca: CA, requestCert: true });
    const client = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, ...CLIENT } }));
    closeAtEnd(client.writer);
    client.writer.write(bytes("mtls\n"));
    expect(text(await within(client.reader.readLine()))).toBe("mtls\n");
    expect(((await within(seen.promise)) as { subject: { CN: string } }).subject.CN).toBe("asyncstreams test client");
  });
});

describe("mTLS on the server side", () => {
  it("with rejectUnauthorized: false, lets an unverified client in and says why it is not authorized", async () => {
    const seen = deferred<{ authorized: boolean; authorizationError: unknown; cn: string }>();
    const server = await start(
      { tls: { ...SERVER, ca: CA, requestCert: true, rejectUnauthorized: false } },
      async (reader, writer) => {
        const secure = writer.getExtraInfo("sslObject") as TLSSocket;
        seen.resolve({
          authorized: secure.authorized,
          authorizationError: secure.authorizationError,
          cn: (writer.getExtraInfo("peercert") as { subject: { CN: string } }).subject.CN,
        });
        await echoLines(reader, writer);
      },
    );
    const client = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, ...SELF_SIGNED } }));
    closeAtEnd(client.writer);
    client.writer.write(bytes("unverified\n"));
    expect(text(await within(client.reader.readLine()))).toBe("unverified\n");
    expect(await within(seen.promise)).toEqual({
      authorized: false,
      authorizationError: "DEPTH_ZERO_SELF_SIGNED_CERT",
      cn: "localhost",
    });
  });
});

describe("TLS startServer({ maxConnections })", () => {
  it("closes a TLS connection beyond the limit before its handshake, and the others carry on", async () => {
    let served = 0;
    const firstGone = deferred();
    const server = await start({ maxConnections: 1 }, async (reader, writer) => {
      served++;
      await echoLines(reader, writer);
      await writer.waitClosed();
      firstGone.resolve();
    });
    const port = portOf(server);
    const first = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
    closeAtEnd(first.writer);
    first.writer.write(bytes("first\n"));
    expect(text(await within(first.reader.readLine()))).toBe("first\n");

    const refused = await within(
      openConnection({ host: HOST, port, tls: { ca: CA } }).catch((error: unknown) => error),
    );
    expect((refused as { code?: string }).code).toBe("ECONNRESET");
    expect(served).toBe(1);

    first.writer.write(bytes("again\n"));
    expect(text(await within(first.reader.readLine()))).toBe("again\n");
    first.writer.close();
    await within(first.writer.waitClosed());
    await within(firstGone.promise, 5_000, "the server to let the first client go");
    await until(() => served === 1, 1_000);
    const next = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
    closeAtEnd(next.writer);
    next.writer.write(bytes("next\n"));
    expect(text(await within(next.reader.readLine()))).toBe("next\n");
  });
});
