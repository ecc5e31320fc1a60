// Runs on Deno, started by ../deno.test.ts: a client floods one QUIC stream that the server's
// handler does not read. QUIC flow control must hold the client (its drain() stops resolving)
// long before it has sent everything, and the server's reader must stay within its limit; then
// the handler reads it all, every byte counted. Prints {"held":bool,"accepted":N,"total":N,"received":N,"serverBuffered":N}.
import { openQuicConnection, startQuicServer } from "../../dist/index.js";

const fixture = (name: string): string => Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const ALPN = ["asyncstreams-flood"];
const TOTAL = 256 * 1024 * 1024;
const CHUNK = 1024 * 1024;
let serverReader: { read(n: number): Promise<Uint8Array>; bufferedBytes(): Uint8Array } | undefined;
let startReading: () => void = () => undefined;
const reading = new Promise<void>((resolve) => (startReading = resolve));
let received = 0;
const done = new Promise<void>((resolve) => {
  void (async () => {
    await reading;
    for (;;) {
      const chunk = await serverReader!.read(65_536);
      if (chunk.length === 0) break;
      received += chunk.length;
    }
    resolve();
  })();
});
const server = await startQuicServer(
  (reader) => {
    serverReader = reader; // not read until the client is held
  },
  {
    host: "127.0.0.1",
    port: 0,
    tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
    limit: 65_536,
  },
);
const conn = await openQuicConnection({
  host: "127.0.0.1",
  port: server.addresses()[0]!.port,
  tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
});
const { writer } = await conn.openStream();
const chunk = new Uint8Array(CHUNK);
let accepted = 0;
let held = false;
while (accepted < TOTAL) {
  writer.write(chunk);
  accepted += CHUNK;
  const drained = await Promise.race([
    writer.drain().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 2_000)),
  ]);
  if (!drained) {
    held = true;
    break;
  }
}
// What the server side holds while the client is held: the reader's buffer only.
const serverBuffered = serverReader?.bufferedBytes().length ?? -1;
startReading();
await writer.drain();
writer.writeEof();
await done;
console.log(JSON.stringify({ held, accepted, total: TOTAL, received, serverBuffered }));
conn.close();
server.close();
server.abortClients();
await server.waitClosed();
Deno.exit(0);
