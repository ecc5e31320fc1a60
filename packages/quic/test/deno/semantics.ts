// Runs on Deno, started by ../deno.test.ts: the package's stream semantics on Deno's own QUIC.
// Prints one JSON line per check: { name, ok, detail }.
import { openQuicConnection, startQuicServer } from "../../dist/index.js";
import type { QuicConnection } from "../../dist/index.js";

const fixture = (name: string): string => Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const ALPN = ["asyncstreams-test"];
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (data: Uint8Array): string => new TextDecoder().decode(data);
const report = (name: string, ok: boolean, detail: unknown = ""): void =>
  console.log(JSON.stringify({ name, ok, detail: String(detail) }));

let serverConnection: QuicConnection | undefined;
let uniChecked: () => void = () => undefined;
const uniDone = new Promise<void>((resolve) => (uniChecked = resolve));
const server = await startQuicServer(
  async (reader, writer) => {
    const first = decode(await reader.readLine());
    if (first === "echo\n") {
      writer.write(encode(decode(await reader.read())));
      writer.close(); // FIN after the client's FIN
    } else if (first === "close 42\n") {
      serverConnection?.close({ code: 42, reason: "done" });
    } else if (first === "uni?\n") {
      try {
        writer.write(encode("x"));
        report("a peer's unidirectional stream refuses writes", false, "write did not throw");
      } catch (error) {
        report("a peer's unidirectional stream refuses writes", error instanceof TypeError, error);
      }
      uniChecked();
    }
  },
  {
    host: "127.0.0.1",
    port: 0,
    tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
    onConnection: (connection) => {
      serverConnection = connection;
    },
    onError: () => undefined, // the handlers still reading when the connection closes fail, as they should
  },
);
const port = server.addresses()[0]!.port;
const conn = await openQuicConnection({
  host: "127.0.0.1",
  port,
  tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
});
report(
  "the ALPN protocol is negotiated",
  conn.getExtraInfo("alpnProtocol") === ALPN[0],
  conn.getExtraInfo("alpnProtocol"),
);

{
  const { reader, writer } = await conn.openStream();
  writer.write(encode("echo\nhalf-closed"));
  writer.writeEof();
  const got = decode(await reader.read());
  report(
    "writeEof() sends FIN, the server writes back after EOF, and its FIN is EOF",
    got === "half-closed" && reader.atEof(),
    got,
  );
  writer.close();
}
{
  const { reader, writer } = await conn.openStream({ unidirectional: true });
  const eof = await reader.read();
  report("a unidirectional stream we open has a reader at EOF", eof.length === 0 && reader.atEof());
  writer.write(encode("uni?\n"));
  writer.close();
  await writer.waitClosed();
  await uniDone;
}
{
  const { reader, writer } = await conn.openStream();
  const other = await conn.openStream();
  other.writer.write(encode("?"));
  writer.write(encode("close 42\n"));
  const errors = await Promise.all(
    [reader.read(), other.reader.read()].map((p) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      ),
    ),
  );
  const named = errors.every(
    (e) =>
      e instanceof Error &&
      (e as { code?: string }).code === "ECONNRESET" &&
      /code 42 \(done\)/.test(e.message) &&
      (e as { applicationCode?: bigint }).applicationCode === 42n,
  );
  report(
    "the peer closing the connection ends every open stream with an error naming the close code",
    named,
    errors.map((e) => (e instanceof Error ? e.message : String(e))).join(" | "),
  );
  const drained = await writer.drain().then(
    () => "resolved",
    (e: unknown) => (e as Error).message,
  );
  report("drain() after the close rejects with that error", /code 42/.test(drained), drained);
  const info = await conn.closed;
  report(
    "closed says who closed it and with which code",
    info.code === 42n && info.remote === true && info.reason === "done",
    JSON.stringify({ ...info, code: String(info.code) }),
  );
}
{
  // The refusals of start-quic-server.test.ts on Node, with the same errors (Deno's own are
  // InvalidData and a plain Error, thrown after binding a port it frees only at GC: see the README).
  const name = "a key and certificate that cannot serve are the TypeError they are on Node";
  const good = { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN };
  const cases: [Record<string, string>, RegExp][] = [
    [{ cert: "not a certificate" }, /tls\.cert is not a PEM certificate/],
    [{ key: "not a key" }, /tls\.key is not an unencrypted PEM private key/],
    [{ key: fixture("server.pem") }, /tls\.key is not an unencrypted PEM private key/],
    [{ key: fixture("self-signed-key.pem") }, /tls\.key is not the private key of tls\.cert/],
    [{ cert: fixture("ca.pem") + fixture("server.pem") }, /the leaf must come first/],
    [{ cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }, /tls\.cert is not a PEM certificate/],
    [{ key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }, /tls\.key is not an unencrypted PEM/],
  ];
  const problems: string[] = [];
  for (const [override, message] of cases) {
    const error = await startQuicServer(() => undefined, {
      host: "127.0.0.1",
      port: 0,
      tls: { ...good, ...override },
    }).then(
      async (started) => {
        started.close();
        await started.waitClosed();
        return undefined;
      },
      (e: unknown) => e,
    );
    const text = error instanceof Error ? error.message : String(error);
    if (!(error instanceof TypeError) || !message.test(text) || !text.startsWith("Cannot start a QUIC server: "))
      problems.push(`${JSON.stringify(override).slice(0, 60)}: ${error instanceof Error ? error.name : ""} ${text}`);
  }
  report(name, problems.length === 0, problems.join(" | "));
}
server.close();
await server.waitClosed();
Deno.exit(0);
