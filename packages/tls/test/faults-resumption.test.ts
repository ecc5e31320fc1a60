import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { openConnection, TlsError } from "@asyncstreams/tls";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { CA } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, portOf } from "@asyncstreams/test-utils/node";
import { startTlsServer } from "./_faults-helpers.js";

/** A TLS client's session after one round trip (TLS 1.3 sends its tickets after the handshake). */
async function sessionAfterRoundTrip(
  port: number,
  serverName: string,
  session?: Buffer,
): Promise<{ session: Buffer | undefined; reused: boolean }> {
  const { reader, writer } = await openConnection({
    host: HOST,
    port,
    tls: { ca: CA, serverName, ...(session === undefined ? {} : { session }) },
  });
  closeAtEnd(writer);
  const socket = writer.getExtraInfo("sslObject") as TLSSocket;
  writer.write(bytes("hello\n"));
  expect(text(await within(reader.readLine()))).toBe("hello\n");
  const reused = socket.isSessionReused();
  const ticket = socket.getSession();
  writer.close();
  await within(writer.waitClosed());
  return { session: ticket, reused };
}

async function startEchoServer(): Promise<number> {
  const { server } = await startTlsServer(async (reader, writer) => {
    for await (const line of reader) writer.write(line);
    writer.close();
  });
  return portOf(server);
}

describe("hostname checks on resumed sessions (D4, CVE-2020-8172)", () => {
  it("D4: a session resumes for the name it was made for, so a check on resumption is not vacuous", async () => {
    const port = await startEchoServer();
    const first = await sessionAfterRoundTrip(port, "localhost");
    expect(first.reused).toBe(false);
    expect(first.session).toBeInstanceOf(Buffer);
    const again = await sessionAfterRoundTrip(port, "localhost", first.session);
    expect(again.reused).toBe(true);
  });

  // D4, CVE-2020-8172 class: Node's tls.connect() skips checkServerIdentity() when the server
  // resumes the offered session ("unless server has resumed our existing session" in _tls_wrap.js);
  // startTls() checks the name itself after a resumption (the bug this test found).
  it("D4: a session made for localhost, offered for serverName example.test, is refused with TlsError ERR_TLS_CERT_ALTNAME_INVALID", async () => {
    const port = await startEchoServer();
    const { session } = await sessionAfterRoundTrip(port, "localhost");
    const error = await within(
      openConnection({ host: HOST, port, tls: { ca: CA, serverName: "example.test", session } }).then(
        ({ writer }) => {
          writer.close();
          return undefined;
        },
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(TlsError);
    expect(error).toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect((error as Error).message).toContain("example.test");
  });

  it("D4: a session is still offered, and resumes, for another name its certificate covers (127.0.0.1)", async () => {
    const port = await startEchoServer();
    const { session } = await sessionAfterRoundTrip(port, "localhost");
    const again = await sessionAfterRoundTrip(port, "127.0.0.1", session);
    expect(again.reused).toBe(true);
  });

  it("D4: a session that cannot be read is not offered: the connection makes a full, checked handshake", async () => {
    const port = await startEchoServer();
    const again = await sessionAfterRoundTrip(port, "localhost", Buffer.from("not a TLS session"));
    expect(again.reused).toBe(false);
  });
});
