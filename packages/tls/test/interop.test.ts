import { describe, expect, it } from "vitest";
import { openConnection as openPlainConnection, startServer as startPlainServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { TlsError, openConnection, startServer } from "@asyncstreams/tls";
import type { TLSSocket } from "node:tls";
import { startSmtpServer } from "../../../examples/smtp-starttls/src/smtp-server.js";
import type { SmtpMessage } from "../../../examples/smtp-starttls/src/smtp-server.js";
import { bytes, deferred, text, until, within } from "@asyncstreams/test-utils";
import { CA, CLIENT, SELF_SIGNED, SERVER, certPath } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, freePort, portOf, spawnPeer } from "@asyncstreams/test-utils/node";
import type { ChildPeer } from "@asyncstreams/test-utils/node";
import { spawnPython } from "./_helpers.js";

/** Our TLS server on 127.0.0.1:0, closed at the end of the test. */
async function startTlsServer(
  onClient: ClientConnectedCallback,
  options: Partial<Parameters<typeof startServer>[1]> = {},
): Promise<Server> {
  const server = await startServer(onClient, { host: HOST, port: 0, tls: SERVER, ...options });
  closeServerAtEnd(server);
  return server;
}

/** Echoes lines until EOF. */
const echoLines: ClientConnectedCallback = async (reader, writer) => {
  for await (const line of reader) {
    writer.write(line);
    await writer.drain();
  }
  writer.close();
};

/**
 * `openssl s_server` on a free port of 127.0.0.1, for one connection. openssl cannot report a port
 * it picked, so a port is found free first; if another process takes it in between, try once more.
 */
async function startOpensslServer(extra: readonly string[] = []): Promise<{ peer: ChildPeer; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const peer = spawnPeer("openssl", [
      "s_server",
      "-accept",
      `${HOST}:${port}`,
      "-cert",
      certPath("server.pem"),
      "-key",
      certPath("server-key.pem"),
      "-naccept",
      "1",
      ...extra,
    ]);
    const ready = await peer
      .lineMatching((line) => line === "ACCEPT", 10_000)
      .then(
        () => true,
        () => false,
      );
    if (ready) return { peer, port };
    await peer.kill();
    if (attempt === 2 || !/in use|bind/i.test(peer.stderr()))
      throw new Error(`openssl s_server did not start: ${peer.stderr()}`);
  }
}

/** `openssl s_client` against our server, verifying with the test CA; killed at the end of the test. */
function opensslClient(port: number, extra: readonly string[] = []): ChildPeer {
  return spawnPeer("openssl", [
    "s_client",
    "-connect",
    `${HOST}:${port}`,
    "-CAfile",
    certPath("ca.pem"),
    "-verify_return_error",
    "-quiet",
    ...extra,
  ]);
}

describe("interop with OpenSSL's command line", () => {
  it("our tls.openConnection() talks to openssl s_server, verifying it with the test CA", async () => {
    const { peer, port } = await startOpensslServer(["-rev"]);
    const { reader, writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
    closeAtEnd(writer);
    expect((writer.getExtraInfo("peercert") as { subject: { CN: string } }).subject.CN).toBe("localhost");
    writer.write(bytes("hello openssl\n"));
    expect(text(await within(reader.readLine()))).toBe("lssnepo olleh\n"); // -rev answers each line reversed
    writer.close();
    await within(writer.waitClosed());
    expect(await within(peer.exited)).toBe(0);
  });

  it("our tls.openConnection() presents a client certificate that openssl s_server -Verify checks", async () => {
    const { peer, port } = await startOpensslServer([
      "-rev",
      "-Verify",
      "1",
      "-CAfile",
      certPath("ca.pem"),
      "-verify_return_error",
    ]);
    const { reader, writer } = await within(openConnection({ host: HOST, port, tls: { ca: CA, ...CLIENT } }));
    closeAtEnd(writer);
    writer.write(bytes("mutual\n"));
    expect(text(await within(reader.readLine()))).toBe("lautum\n");
    writer.close();
    await within(writer.waitClosed());
    await within(peer.exited);
    expect(peer.stderr()).toContain("CN = asyncstreams test client");
  });

  it("our client refuses openssl s_server when it presents a certificate for another name", async () => {
    const { port } = await startOpensslServer(["-rev"]);
    const error: unknown = await within(
      openConnection({ host: HOST, port, tls: { ca: CA, serverName: "mail.example.test" } }).catch(
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("our tls.startServer() serves openssl s_client, which verifies the certificate and the IP address", async () => {
    const protocol = deferred<unknown>();
    const server = await startTlsServer(async (reader, writer) => {
      protocol.resolve(writer.getExtraInfo("protocol"));
      writer.write(await reader.readLine());
      await writer.drain();
      writer.close();
    });
    const client = opensslClient(portOf(server), ["-verify_ip", HOST]);
    client.send("ping from s_client\n");
    expect(await client.nextLine()).toBe("ping from s_client");
    expect(await within(protocol.promise)).toBe("TLSv1.3");
    expect(await within(client.exited)).toBe(0);
    expect(client.stderr()).toContain("verify return:1");
  });

  it("openssl s_client refuses our server's self-signed certificate, and onHandshakeError hears about it", async () => {
    const failure = deferred<unknown>();
    const calls: string[] = [];
    const server = await startTlsServer(
      async () => {
        calls.push("onClient");
      },
      { tls: SELF_SIGNED, onHandshakeError: (error) => failure.resolve(error) },
    );
    const client = opensslClient(portOf(server));
    const code = await within(client.exited);
    expect(code).not.toBe(0);
    expect(client.stderr()).toMatch(/self[- ]signed certificate/);
    expect(await within(failure.promise)).toBeInstanceOf(TlsError);
    expect(calls).toEqual([]);
  });

  it("openssl s_client -starttls smtp upgrades a session of the SMTP example server and sends a message over TLS", async () => {
    const messages: SmtpMessage[] = [];
    const server = await startSmtpServer({
      host: HOST,
      port: 0,
      tls: SERVER,
      onMessage: (message) => messages.push(message),
    });
    closeServerAtEnd(server);
    const client = opensslClient(portOf(server), [
      "-starttls",
      "smtp",
      "-name",
      "client.test",
      "-verify_hostname",
      "localhost",
      "-crlf",
    ]);
    // s_client has already said EHLO and STARTTLS in plain text; everything from here is over TLS.
    client.send("EHLO client.test\n");
    const capabilities: string[] = [];
    for (;;) {
      const line = await client.nextLine();
      capabilities.push(line);
      if (line.charAt(3) === " ") break;
    }
    expect(capabilities[0]).toBe("250-localhost greets client.test");
    expect(capabilities.join("\n")).not.toContain("STARTTLS"); // no longer offered
    client.send("MAIL FROM:<alice@example.com>\n");
    expect(await client.nextLine()).toMatch(/^250 /);
    client.send("RCPT TO:<bob@example.com>\n");
    expect(await client.nextLine()).toMatch(/^250 /);
    client.send("DATA\n");
    expect(await client.nextLine()).toMatch(/^354 /);
    client.send("Subject: interop\n\nsent by openssl s_client\n.\n");
    expect(await client.nextLine()).toMatch(/^250 /);
    client.send("QUIT\n");
    expect(await client.nextLine()).toBe("221 2.0.0 Bye");
    expect(await within(client.exited)).toBe(0);
    expect(messages).toEqual([
      {
        from: "alice@example.com",
        to: ["bob@example.com"],
        data: "Subject: interop\r\n\r\nsent by openssl s_client\r\n",
        secure: true,
      },
    ]);
  });
});

describe("interop with CPython asyncio's start_tls()", () => {
  /** Starts `python/starttls_server.py`: its STARTTLS port and its TLS port. */
  async function startPythonServers(): Promise<{ peer: ChildPeer; starttlsPort: number; tlsPort: number }> {
    const peer = spawnPython("starttls_server.py");
    const [starttlsPort, tlsPort] = (await peer.nextLine(10_000)).split(" ").map(Number);
    if (!(starttlsPort! > 0 && tlsPort! > 0)) throw new Error(`starttls_server.py did not start: ${peer.stderr()}`);
    return { peer, starttlsPort: starttlsPort!, tlsPort: tlsPort! };
  }

  it("a CPython client upgrades with writer.start_tls() against our server's writer.startTls()", async () => {
    const serverSide = deferred<{ before: unknown; after: unknown; lines: string[] }>();
    const server = await startPlainServer(
      async (reader, writer) => {
        const lines: string[] = [];
        expect(text(await reader.readLine())).toBe("STARTTLS\n");
        const before = writer.getExtraInfo("sslcontext");
        writer.write(bytes("GO\n"));
        await writer.startTls({ ...SERVER });
        const after = writer.getExtraInfo("sslcontext");
        for await (const line of reader) {
          lines.push(text(line));
          writer.write(line);
        }
        writer.close();
        serverSide.resolve({ before, after, lines });
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const python = spawnPython("starttls_client.py", [
      "starttls",
      String(portOf(server)),
      "first line over TLS",
      "second line over TLS",
    ]);
    expect(await python.nextLine()).toBe("PLAIN True");
    expect(await python.nextLine()).toBe("TLS TLSv1.3");
    expect(await python.nextLine()).toBe("ECHO first line over TLS");
    expect(await python.nextLine()).toBe("ECHO second line over TLS");
    expect(await python.nextLine()).toBe("DONE");
    const seen = await within(serverSide.promise);
    expect(seen.before).toBeUndefined();
    expect(seen.after).toBeDefined();
    expect(seen.lines).toEqual(["first line over TLS\n", "second line over TLS\n"]);
  });

  it("our client upgrades with writer.startTls() against a CPython server's writer.start_tls()", async () => {
    const { peer, starttlsPort } = await startPythonServers();
    const { reader, writer } = await within(openPlainConnection({ host: HOST, port: starttlsPort }));
    closeAtEnd(writer);
    writer.write(bytes("STARTTLS\n"));
    expect(text(await within(reader.readLine()))).toBe("GO\n");
    await within(writer.startTls({ ca: CA, serverName: "localhost" }));
    expect((writer.getExtraInfo("sslObject") as TLSSocket).authorized).toBe(true);
    // The last line spans many TLS records (asyncio's reader takes lines up to 64 KiB).
    for (const line of ["one\n", "two\n", `${"x".repeat(50_000)}\n`]) {
      writer.write(bytes(line));
      const echo = text(await within(reader.readLine()));
      expect(echo.length).toBe(line.length);
      expect(echo === line).toBe(true);
    }
    writer.close();
    await within(writer.waitClosed());
    expect(await peer.nextLine()).toBe("SERVED starttls TLSv1.3 3");
  });

  it("our tls.openConnection() talks to a CPython start_server(ssl=...)", async () => {
    const { peer, tlsPort } = await startPythonServers();
    const { reader, writer } = await within(openConnection({ host: HOST, port: tlsPort, tls: { ca: CA } }));
    closeAtEnd(writer);
    writer.write(bytes("to asyncio\n"));
    expect(text(await within(reader.readLine()))).toBe("to asyncio\n");
    writer.close();
    await within(writer.waitClosed());
    expect(await peer.nextLine()).toBe("SERVED tls TLSv1.3 1");
  });

  it("a CPython open_connection(ssl=...) talks to our tls.startServer(), verifying the host name", async () => {
    const server = await startTlsServer(echoLines);
    const python = spawnPython("starttls_client.py", ["tls", String(portOf(server)), "from asyncio"]);
    expect(await python.nextLine()).toBe("TLS TLSv1.3");
    expect(await python.nextLine()).toBe("ECHO from asyncio");
    expect(await python.nextLine()).toBe("DONE");
    await until(() => server.isServing(), 1_000);
  });

  it("a CPython client refuses our server's self-signed certificate", async () => {
    const failure = deferred<unknown>();
    const server = await startTlsServer(echoLines, {
      tls: SELF_SIGNED,
      onHandshakeError: (error) => failure.resolve(error),
    });
    const python = spawnPython("starttls_client.py", ["tls", String(portOf(server)), "never sent"]);
    expect(await python.nextLine()).toMatch(/^FAILED SSLCertVerificationError\(.*self[- ]signed certificate/);
    expect(await within(failure.promise)).toBeInstanceOf(TlsError);
  });
});
