import { describe, expect, it } from "vitest";
import { TlsError, openConnection, openUnixConnection, startServer, startUnixServer } from "@asyncstreams/tls";
import type { TlsOptions } from "@asyncstreams/tls";
import { openConnection as openPlainConnection } from "@asyncstreams/net";
import { within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";
import { CA, LOCALHOST_ONLY, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import { startNodeTlsPeer } from "./_helpers.js";

const noop = (): void => undefined;

/** What a promise rejected with (fails the test when it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );
}

describe("TlsOptions names", () => {
  it("every real Node option type-checks, SNICallback and pfx included; a misspelling does not", () => {
    const good: TlsOptions = {
      ca: CA,
      serverName: "localhost",
      alpnProtocols: ["h2"],
      minVersion: "TLSv1.3",
      SNICallback: (_name, done) => done(null),
      pfx: new Uint8Array(0),
      key: Buffer.from("k"),
      sigalgs: "rsa_pss_rsae_sha256",
    };
    // @ts-expect-error: Node's "servername" is spelled serverName here
    const misspelled: TlsOptions = { servername: "localhost" };
    // @ts-expect-error: connection-level options do not belong inside tls
    const connectionLevel: TlsOptions = { port: 443 };
    expect([good, misspelled, connectionLevel]).toHaveLength(3);
  });

  it("an unknown name inside tls is a TypeError naming it, before connecting (servername used to be ignored)", async () => {
    const error = await failureOf(
      openConnection({ host: HOST, port: 9, tls: { ca: CA, servername: "localhost" } as TlsOptions }),
    );
    expect(error).toEqual(
      new TypeError(
        'Cannot open a TLS connection: unknown TLS option "servername"; Node\'s "servername" is spelled "serverName" here',
      ),
    );
    const near = await failureOf(
      openConnection({ host: HOST, port: 9, tls: { rejectunauthorized: false } as TlsOptions }),
    );
    expect(near.message).toBe(
      'Cannot open a TLS connection: unknown TLS option "rejectunauthorized"; did you mean "rejectUnauthorized"?',
    );
    const inside = await failureOf(
      openUnixConnection({ path: "/nonexistent", tls: { serverName: "x", handshakeTimeout: 5 } as never }),
    );
    expect(inside.message).toContain("handshakeTimeout goes beside tls, not inside it");
  });

  it("an unknown option on every TLS connector and server names the TLS call and lists its own options, tls included", async () => {
    const server = await failureOf(startServer(noop, { host: HOST, port: 0, tls: SERVER, nodelay: false } as never));
    expect(server).toEqual(
      new TypeError('Cannot start a TLS server: unknown option "nodelay"; did you mean "noDelay"?'),
    );
    const unix = await failureOf(
      startUnixServer(noop, { path: "/tmp/unused.sock", tls: SERVER, reuse_port: true } as never),
    );
    expect(unix).toBeInstanceOf(TypeError);
    expect(unix.message).toMatch(
      /^Cannot start a TLS Unix server: unknown option "reuse_port"; the options are path, .*, tls, handshakeTimeout, shutdownTimeout, onHandshakeError$/,
    );
    const client = await failureOf(openConnection({ host: HOST, port: 9, tls: { ca: CA }, prot: 443 } as never));
    expect(client.message).toMatch(
      /^Cannot open a TLS connection: unknown option "prot"; the options are host, port, .*, tls, handshakeTimeout, shutdownTimeout$/,
    );
    const unixClient = await failureOf(
      openUnixConnection({ path: "/nonexistent", tls: { serverName: "x" }, limt: 5 } as never),
    );
    expect(unixClient.message).toMatch(
      /^Cannot open a TLS Unix connection: unknown option "limt"; the options are path, /,
    );
  });

  it("asyncio's TLS keywords on the tls package say where they go here, never to import this same package", async () => {
    const hostname = await failureOf(
      openConnection({ host: HOST, port: 9, tls: { ca: CA }, server_hostname: "localhost" } as never),
    );
    expect(hostname).toEqual(
      new TypeError('Cannot open a TLS connection: unknown option "server_hostname"; it is tls.serverName here'),
    );
    const timeout = await failureOf(
      startServer(noop, { host: HOST, port: 0, tls: SERVER, ssl_handshake_timeout: 5 } as never),
    );
    expect(timeout.message).toBe(
      'Cannot start a TLS server: unknown option "ssl_handshake_timeout"; it is handshakeTimeout here, in milliseconds',
    );
    const context = await failureOf(openConnection({ host: HOST, port: 9, tls: { ca: CA }, sslContext: {} } as never));
    expect(context.message).not.toContain("@asyncstreams/tls");
  });

  it("asyncio's ssl option on the tls package is a TypeError pointing to tls", async () => {
    const error = await failureOf(openConnection({ host: HOST, port: 9, ssl: true } as never));
    expect(error).toEqual(
      new TypeError(
        `Cannot open a TLS connection: unknown option "ssl"; asyncio's ssl= is tls here: { tls: { ca, serverName, ... } }`,
      ),
    );
  });

  it("tls or ssl on the net package is a TypeError pointing to @asyncstreams/tls, not a plaintext connection", async () => {
    for (const options of [
      { host: HOST, port: 9, tls: { ca: CA } },
      { host: HOST, port: 9, ssl: true },
    ]) {
      const error = await failureOf(openPlainConnection(options));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(
        /^Cannot open a connection: unknown option "(tls|ssl)"; this package never encrypts: for TLS import the same function from @asyncstreams\/tls/,
      );
    }
  });

  it("a TLS server without key and cert (or pfx, or SNICallback) is refused by startServer() instead of failing every client", async () => {
    await expect(startServer(noop, { host: HOST, port: 0, tls: {} })).rejects.toThrow(
      new TypeError(
        "Cannot start a TLS server: tls has no key and cert; pass the server's key and cert (or pfx, or an SNICallback), or every client's handshake fails",
      ),
    );
    await expect(startServer(noop, { host: HOST, port: 0, tls: { key: SERVER.key } })).rejects.toThrow(
      "tls has no cert",
    );
    await expect(startUnixServer(noop, { path: "/tmp/unused.sock", tls: { cert: SERVER.cert } })).rejects.toThrow(
      "Cannot start a TLS Unix server: tls has no key",
    );
    const server = await startServer(noop, { host: HOST, port: 0, tls: { SNICallback: (_name, done) => done(null) } });
    closeServerAtEnd(server);
  });

  it("a timeout beyond setTimeout()'s range is refused instead of firing after 1 ms", async () => {
    await expect(openConnection({ host: HOST, port: 9, handshakeTimeout: 2 ** 31 })).rejects.toThrow(RangeError);
    await expect(
      startServer(noop, { host: HOST, port: 0, tls: SERVER, shutdownTimeout: "5" as never }),
    ).rejects.toThrow(TypeError);
  });
});

describe("TLS errors that say what to do", () => {
  it("a self-signed certificate failure names tls.ca, and the action is opening a connection, not startTls()", async () => {
    const peer = await startNodeTlsPeer(noop, SELF_SIGNED);
    const error = await within(
      failureOf(openConnection({ host: HOST, port: peer.port, tls: { serverName: "localhost" } })),
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(error.message).toMatch(
      /^Cannot open a TLS connection: .*pass the CA that signed the peer's certificate as tls\.ca/,
    );
  });

  it("a host-name mismatch names tls.serverName and the names the certificate has, never an empty list", async () => {
    const peer = await startNodeTlsPeer(noop, LOCALHOST_ONLY);
    const error = await within(failureOf(openConnection({ host: HOST, port: peer.port, tls: { ca: CA } })));
    expect((error as TlsError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(error.message).toBe(
      "Cannot open a TLS connection: the certificate is not valid for 127.0.0.1: it names DNS:localhost; connect to a name it lists, or set tls.serverName to one of them",
    );
  });

  it("startTls() on a plain connection keeps saying Cannot start TLS", async () => {
    const peer = await startNodeTlsPeer(noop, SELF_SIGNED);
    const { writer } = await openPlainConnection({ host: HOST, port: peer.port });
    closeAtEnd(writer);
    const error = await within(failureOf(writer.startTls({ serverName: "localhost" })));
    expect(error.message).toMatch(/^Cannot start TLS: .*tls\.ca/);
  });

  it("a server's handshake failure is reported as accepting a TLS connection", async () => {
    let reported: unknown;
    const server = await startServer(noop, {
      host: HOST,
      port: 0,
      tls: SELF_SIGNED,
      onHandshakeError: (error) => (reported = error),
    });
    closeServerAtEnd(server);
    await failureOf(openConnection({ host: HOST, port: portOf(server), tls: { serverName: "localhost" } }));
    await within(
      (async () => {
        while (reported === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
    );
    expect((reported as Error).message).toMatch(/^Cannot accept a TLS connection: /);
  });
});
