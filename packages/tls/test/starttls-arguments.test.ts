import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { openConnection, openUnixConnection, startServer, startUnixServer } from "@asyncstreams/net";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import type { StartTlsOptions, StreamWriter } from "@asyncstreams/writer";
import { openConnection as openTlsConnection, startServer as startTlsServer } from "@asyncstreams/tls";
import { bytes, deferred, text, within } from "@asyncstreams/test-utils";
import { CA, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, tempDir } from "@asyncstreams/test-utils/node";

/** Echoes lines until EOF. */
const echoLines: ClientConnectedCallback = async (reader, writer) => {
  for (let line = await reader.readLine(); line.length > 0; line = await reader.readLine()) writer.write(line);
  writer.close();
};

/** A plain echo connection over TCP (or over a Unix socket with `unix`), closed at the end. */
async function plainEcho(unix = false): Promise<{ reader: StreamReader; writer: StreamWriter }> {
  const path = unix ? tempDir().path() : "";
  const server = unix
    ? await startUnixServer(echoLines, { path })
    : await startServer(echoLines, { host: HOST, port: 0 });
  closeServerAtEnd(server);
  const streams = await within(
    unix ? openUnixConnection({ path }) : openConnection({ host: HOST, port: portOf(server) }),
  );
  closeAtEnd(streams.writer);
  return streams;
}

/** The connection still carries plaintext both ways. */
async function expectUsable({ reader, writer }: { reader: StreamReader; writer: StreamWriter }): Promise<void> {
  writer.write(bytes("still plain\n"));
  expect(text(await within(reader.readLine()))).toBe("still plain\n");
  expect(writer.getExtraInfo("sslObject")).toBeUndefined();
}

const REFUSED: [string, StartTlsOptions, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
  [
    "handshakeTimeout: 0",
    { ca: CA, handshakeTimeout: 0 },
    RangeError,
    /handshakeTimeout should be a positive number of milliseconds up to 2147483647, got 0$/,
  ],
  [
    "handshakeTimeout: 2 ** 32 (setTimeout would fire it after 1 ms)",
    { ca: CA, handshakeTimeout: 2 ** 32 },
    RangeError,
    /got 4294967296$/,
  ],
  ["handshakeTimeout: Infinity", { ca: CA, handshakeTimeout: Infinity }, RangeError, /up to 2147483647, got Infinity$/],
  ["shutdownTimeout: -1", { ca: CA, shutdownTimeout: -1 }, RangeError, /shutdownTimeout should be a positive number/],
  [
    "a misspelled option",
    { ca: CA, rejectunauthorized: false },
    TypeError,
    /unknown TLS option "rejectunauthorized"; did you mean "rejectUnauthorized"\?$/,
  ],
  [
    "the connector's nested tls",
    { tls: { ca: CA } },
    TypeError,
    /unknown TLS option "tls"; pass the TLS options themselves/,
  ],
  ['serverName: ""', { ca: CA, serverName: "" }, TypeError, /serverName should be the host name .*got ""/],
  ["a key that does not load", { key: "not a key", cert: SERVER.cert }, Error, /./],
];

describe("writer.startTls() with arguments it refuses (asyncio: ValueError, the connection untouched)", () => {
  for (const [what, options, type, message] of REFUSED) {
    it(`refuses ${what} before touching the socket: the plain connection stays usable`, async () => {
      const streams = await plainEcho();
      const error = await within(streams.writer.startTls(options).catch((failure: unknown) => failure));
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      await expectUsable(streams);
    });
  }

  it("requires serverName on a Unix socket before touching it: the connection stays usable", async () => {
    const streams = await plainEcho(true);
    await expect(within(streams.writer.startTls({ ca: CA }))).rejects.toThrow(
      new TypeError(
        "Cannot start TLS: serverName is required when the connection's host is unknown (a Unix or adopted socket); pass the name to check the server's certificate against",
      ),
    );
    await expectUsable(streams);
  });

  it("refuses a misspelled requestCert on the server side: no client gets in without a certificate", async () => {
    const serverSide = deferred<unknown>();
    const server = await startServer(
      async (reader, writer) => {
        await reader.readLine();
        writer.write(bytes("GO\n"));
        const refused = await writer
          .startTls({ ...SERVER, ca: CA, requestcert: true })
          .catch((error: unknown) => error);
        serverSide.resolve(refused);
        writer.write(bytes("refused in plaintext\n")); // the connection is still the plain one
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server) }));
    closeAtEnd(writer);
    writer.write(bytes("STARTTLS\n"));
    expect(text(await within(reader.readLine()))).toBe("GO\n");
    const refused = await within(serverSide.promise);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toBe(
      'Cannot start TLS: unknown TLS option "requestcert"; did you mean "requestCert"?',
    );
    expect(text(await within(reader.readLine()))).toBe("refused in plaintext\n");
  });

  it("refuses a server-side upgrade with no key and cert: it would fail every handshake", async () => {
    const server = await startServer(
      async (reader, writer) => {
        const refused = await writer.startTls({ ca: CA }).catch((error: unknown) => error);
        writer.write(bytes(`${(refused as Error).message}\n`));
        await echoLines(reader, writer);
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const streams = await within(openConnection({ host: HOST, port: portOf(server) }));
    closeAtEnd(streams.writer);
    expect(text(await within(streams.reader.readLine()))).toMatch(
      /^Cannot start TLS: the TLS options have no key and cert; pass the server's key and cert/,
    );
    await expectUsable(streams);
  });

  it("tls.openConnection({ socket }) without serverName refuses before adopting the socket, which stays open", async () => {
    const server = await startTlsServer(echoLines, { host: HOST, port: 0, tls: SERVER });
    closeServerAtEnd(server);
    const socket = connect({ host: HOST, port: portOf(server) });
    try {
      await within(new Promise((resolve) => socket.once("connect", resolve)));
      await expect(openTlsConnection({ socket, tls: { ca: CA } })).rejects.toThrow(
        /^Cannot open a TLS connection: serverName is required when the connection's host is unknown/,
      );
      expect(socket.destroyed).toBe(false);
    } finally {
      socket.destroy();
    }
  });
});
