/* global Deno */
// The QUIC bench on Deno (run by ../src/quic/main.js with `deno run -A --unstable-net`): Deno's
// own QUIC server writes the line stream on one QUIC stream; the client reads it (a) through
// @asyncstreams/quic's readLine() and (b) its readLines() (the built package), (c) from Deno's
// ReadableStream directly.
import { openQuicConnection } from "../../packages/quic/dist/index.js";
import { countLinesDirect, lineChunks, LINE, packagePasses } from "../src/quic/lines.js";

const fixture = (name) => Deno.readTextFileSync(new URL(`../../packages/quic/test/fixtures/${name}`, import.meta.url));
const ALPN = ["bench"];
const lines = Number(Deno.args[0] ?? 1_000_000);
const runs = Number(Deno.args[1] ?? 3);
const chunks = lineChunks(lines);

const endpoint = new Deno.QuicEndpoint({ hostname: "127.0.0.1", port: 0 });
const listener = endpoint.listen({ cert: fixture("server.pem"), key: fixture("server-key.pem"), alpnProtocols: ALPN });
void (async () => {
  for await (const incoming of listener) {
    const conn = await incoming.accept();
    void (async () => {
      for await (const stream of conn.incomingBidirectionalStreams) {
        void (async () => {
          await stream.readable.getReader().read();
          const writer = stream.writable.getWriter();
          for (const chunk of chunks) await writer.write(chunk);
          await writer.close();
        })();
      }
    })();
  }
})();
const port = endpoint.addr.port;
const pkg = await openQuicConnection({
  host: "127.0.0.1",
  port,
  tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
  limit: 65_536,
});
const direct = await Deno.connectQuic({
  hostname: "127.0.0.1",
  port,
  serverName: "localhost",
  caCerts: [fixture("ca.pem")],
  alpnProtocols: ALPN,
});

const impls = {
  ...packagePasses(pkg),
  "stack-direct": async () => {
    const stream = await direct.createBidirectionalStream();
    const writer = stream.writable.getWriter();
    await writer.write(new Uint8Array([1]));
    const n = await countLinesDirect(stream.readable);
    await writer.close();
    return n;
  },
};
for (let run = 0; run < runs; run++) {
  for (const [impl, pass] of Object.entries(impls)) {
    const started = performance.now();
    const seen = await pass();
    const seconds = (performance.now() - started) / 1000;
    if (seen !== lines) throw new Error(`${impl}: ${seen} lines, expected ${lines}`);
    console.log(JSON.stringify({ runtime: "deno", impl, lines, bytes: lines * LINE, seconds }));
  }
}
pkg.close();
direct.close({ closeCode: 0, reason: "" });
endpoint.close();
Deno.exit(0);
