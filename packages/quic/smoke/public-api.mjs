// Public-API smoke of @asyncstreams/quic, run against an installed copy by the release checks
// (scripts/release/), on Node: a line echo over one QUIC stream on 127.0.0.1 through
// @matrixai/quic (its native addon comes from the registry as an optional dependency), with a
// certificate that openssl makes for the run. It proves the addon installed and loads. Like every
// smoke, it is copied alone into a consumer project (and read from old release tags), so it shares
// no helper with tls's smoke, whose certificate step it repeats.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openQuicConnection, QuicHandshakeError, startQuicServer } from "@asyncstreams/quic";

const deadline = setTimeout(() => {
  console.error("quic smoke: no answer within 60 s");
  process.exit(1);
}, 60_000);
const alpnProtocols = ["asyncstreams-smoke"];
const dir = mkdtempSync(join(tmpdir(), "asyncstreams-quic-smoke-"));
try {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const key = readFileSync(join(dir, "key.pem"), "utf8");
  const cert = readFileSync(join(dir, "cert.pem"), "utf8");
  const server = await startQuicServer(
    async (reader, writer) => {
      for await (const line of reader) writer.write(line);
      writer.close(); // our FIN, after the client's
    },
    { host: "127.0.0.1", port: 0, tls: { key, cert, alpnProtocols } },
  );
  const [{ port }] = server.addresses();
  // quiche checks DNS names only: an IP host needs serverName.
  const connection = await openQuicConnection({
    host: "127.0.0.1",
    port,
    tls: { ca: cert, serverName: "localhost", alpnProtocols },
  });
  const { reader, writer } = await connection.openStream();
  writer.write(new TextEncoder().encode("hello\n"));
  writer.writeEof(); // FIN: the server's loop ends
  const echoed = new TextDecoder().decode(await reader.readLine());
  const rest = await reader.read();
  const stack = connection.getExtraInfo("quicStack");
  connection.close({ code: 0, reason: "bye" });
  await connection.closed;
  server.close();
  server.abortClients();
  await server.waitClosed();
  if (echoed !== "hello\n" || rest.length !== 0)
    throw new Error(`quic smoke: echoed ${JSON.stringify(echoed)}, then ${rest.length} bytes over ${String(stack)}`);
  if (typeof QuicHandshakeError !== "function") throw new Error("quic smoke: no QuicHandshakeError");
  console.log(`ok @asyncstreams/quic (${String(stack)})`);
} finally {
  clearTimeout(deadline);
  rmSync(dir, { recursive: true, force: true });
}
