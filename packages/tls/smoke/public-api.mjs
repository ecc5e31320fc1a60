// Public-API smoke of @asyncstreams/tls (and every layer under it), run against an installed copy by
// the release checks (scripts/release/): a TLS line echo on 127.0.0.1 with a certificate that
// openssl makes for the run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openConnection, startServer } from "@asyncstreams/tls";

const deadline = setTimeout(() => {
  console.error("tls smoke: no answer within 20 s");
  process.exit(1);
}, 20_000);
const dir = mkdtempSync(join(tmpdir(), "asyncstreams-tls-smoke-"));
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
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const key = readFileSync(join(dir, "key.pem"), "utf8");
  const cert = readFileSync(join(dir, "cert.pem"), "utf8");
  const server = await startServer(
    async (reader, writer) => {
      writer.write(await reader.readLine());
      writer.close();
    },
    { host: "127.0.0.1", port: 0, tls: { key, cert } },
  );
  const [{ port }] = server.addresses();
  const { reader, writer } = await openConnection({ host: "127.0.0.1", port, tls: { ca: cert } });
  writer.write(new TextEncoder().encode("hello\n"));
  const echoed = new TextDecoder().decode(await reader.readLine());
  const protocol = writer.getExtraInfo("protocol");
  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
  if (echoed !== "hello\n" || typeof protocol !== "string" || !protocol.startsWith("TLS")) {
    throw new Error(`tls smoke: echoed ${JSON.stringify(echoed)} over ${String(protocol)}`);
  }
} finally {
  clearTimeout(deadline);
  rmSync(dir, { recursive: true, force: true });
}
console.log("ok @asyncstreams/tls");
