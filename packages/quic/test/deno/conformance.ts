// Runs on Deno (`deno run -A --unstable-net`), started by ../deno.test.ts: the transport
// conformance kit over QUIC streams of the built package on Deno's own QUIC. Prints one JSON line
// per case: { name, ok, error? }.
import { openQuicConnection, startQuicServer } from "../../dist/index.js";
import type { QuicConnection } from "../../dist/index.js";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { quicStreamPair } from "../_stream-pair.ts";

const fixture = (name: string): string => Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const ALPN = ["asyncstreams-test"];
let resolve: (connection: QuicConnection) => void = () => undefined;
const accepted = new Promise<QuicConnection>((r) => (resolve = r));
const server = await startQuicServer(null, {
  host: "127.0.0.1",
  port: 0,
  tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
  onConnection: (connection) => resolve(connection),
  maxStreams: 1000,
});
const port = server.addresses()[0]!.port;
const client = await openQuicConnection({
  host: "127.0.0.1",
  port,
  tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
  maxStreams: 1000,
});
const peer = await accepted;
const only = Deno.args[0];
const cases = transportConformance(async () => ({ transports: await quicStreamPair(client, peer) }), {
  halfClose: true,
  pauseReading: true,
  writeBufferLimits: true,
  abortResets: false, // Deno's QUIC streams have no RESET_STREAM: an abort() reaches the peer as a FIN
  timeout: 30_000,
});
for (const c of cases) {
  if (only !== undefined && !c.name.includes(only)) continue;
  try {
    await c.run();
    console.log(JSON.stringify({ name: c.name, ok: true }));
  } catch (error) {
    console.log(
      JSON.stringify({
        name: c.name,
        ok: false,
        error: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error),
      }),
    );
  }
}
client.close();
await client.closed;
server.close();
server.abortClients();
await server.waitClosed();
Deno.exit(0);
