// @ts-check
// The QUIC bench on Node: @matrixai/quic's server writes the line stream on one QUIC stream; the
// client reads it (a) through @asyncstreams/quic's readLine(), (b) its readLines(), (c) from the
// stack's own ReadableStream directly. Prints one JSON line per pass: { impl, lines, bytes, seconds }.
import { QUICClient, QUICServer, events } from "@matrixai/quic";
import Logger, { LogLevel } from "@matrixai/logger";
import { readFileSync } from "node:fs";
import { openQuicConnection } from "@asyncstreams/quic";
import { countLinesDirect, lineChunks, LINE, packagePasses } from "./lines.js";

const fixture = (/** @type {string} */ name) =>
  readFileSync(new URL(`../../../packages/quic/test/fixtures/${name}`, import.meta.url), "utf8");
const ALPN = ["bench"];
const logger = new Logger("bench", LogLevel.SILENT);
const lines = Number(process.argv[2] ?? 4096);
const runs = Number(process.argv[3] ?? 3);
const chunks = lineChunks(lines);

const raw = crypto.getRandomValues(new Uint8Array(32)).buffer;
const hmac = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const server = new QUICServer({
  crypto: {
    key: raw,
    ops: {
      sign: async (_k, data) => crypto.subtle.sign("HMAC", await hmac, data),
      verify: async (_k, data, sig) => crypto.subtle.verify("HMAC", await hmac, sig, data),
    },
  },
  config: { key: fixture("server-key.pem"), cert: fixture("server.pem"), applicationProtos: ALPN },
  logger,
});
// Each stream the client opens asks for the line stream with one byte; the server answers with it.
server.addEventListener(events.EventQUICServerConnection.name, (/** @type {any} */ event) => {
  event.detail.addEventListener(events.EventQUICConnectionStream.name, async (/** @type {any} */ streamEvent) => {
    const stream = streamEvent.detail;
    const request = stream.readable.getReader();
    await request.read();
    const writer = stream.writable.getWriter();
    for (const chunk of chunks) await writer.write(chunk);
    await writer.close();
  });
});
await server.start({ host: "127.0.0.1", port: 0 });
const port = server.port;

const pkg = await openQuicConnection({
  host: "127.0.0.1",
  port,
  tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
  limit: 65_536,
});
const direct = await QUICClient.createQUICClient({
  host: "127.0.0.1",
  port,
  serverName: "localhost",
  logger,
  crypto: { ops: { randomBytes: async (data) => void crypto.getRandomValues(new Uint8Array(data)) } },
  config: { ca: fixture("ca.pem"), applicationProtos: ALPN, verifyPeer: true },
});

/** @type {Record<string, () => Promise<number>>} */
const impls = {
  ...packagePasses(pkg),
  "stack-direct": async () => {
    const stream = direct.connection.newStream();
    const writer = stream.writable.getWriter();
    await writer.write(new Uint8Array([1]));
    const n = await countLinesDirect(/** @type {any} */ (stream.readable));
    await writer.close();
    return n;
  },
};
// Interleaved passes, so that load bursts on a shared machine hit both alike.
for (let run = 0; run < runs; run++) {
  for (const [impl, pass] of Object.entries(impls)) {
    const started = performance.now();
    const seen = await pass();
    const seconds = (performance.now() - started) / 1000;
    if (seen !== lines) throw new Error(`${impl}: ${seen} lines, expected ${lines}`);
    console.log(JSON.stringify({ runtime: "node", impl, lines, bytes: lines * LINE, seconds }));
  }
}
pkg.close();
await pkg.closed;
await direct.destroy({ force: true });
await server.stop({ force: true });
process.exit(0);
