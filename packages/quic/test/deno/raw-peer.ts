// A QUIC peer on Deno's own QUIC API (quinn + rustls), not on this package: the other stack of
// the Node <-> Deno interop tests in ../deno.test.ts. Run with `deno run -A --unstable-net`.
//   raw-peer.ts server          echo server; prints {"port":N}; serves until stdin closes
//   raw-peer.ts client PORT N   opens N concurrent streams, sends lines + binary + FIN, checks
//                               the echo byte for byte; prints {"ok":true,"streams":N,"bytes":B}
import { payload } from "./_payload.ts";

const fixture = (name: string): string => Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const ALPN = ["asyncstreams-interop"];

async function echo(stream: {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}): Promise<void> {
  const writer = stream.writable.getWriter();
  for await (const chunk of stream.readable) await writer.write(chunk);
  await writer.close(); // FIN after the peer's FIN
}

async function concat(readable: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readable) chunks.push(chunk);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) all.set(chunk, (at += chunk.length) - chunk.length);
  return all;
}

if (Deno.args[0] === "server") {
  const endpoint = new Deno.QuicEndpoint({ hostname: "127.0.0.1", port: 0 });
  const listener = endpoint.listen({
    cert: fixture("server.pem"),
    key: fixture("server-key.pem"),
    alpnProtocols: ALPN,
  });
  void (async () => {
    for await (const incoming of listener) {
      void incoming.accept().then(
        async (conn) => {
          for await (const stream of conn.incomingBidirectionalStreams)
            void echo(stream).catch((e) => console.error("echo failed", e));
        },
        (e) => console.error("accept failed", e),
      );
    }
  })();
  console.log(JSON.stringify({ port: endpoint.addr.port }));
  for await (const _ of Deno.stdin.readable) {
    /* until the test closes stdin */
  }
  endpoint.close();
  Deno.exit(0);
} else {
  const port = Number(Deno.args[1]);
  const count = Number(Deno.args[2] ?? 4);
  const conn = await Deno.connectQuic({
    hostname: "127.0.0.1",
    port,
    serverName: "localhost",
    caCerts: [fixture("ca.pem")],
    alpnProtocols: ALPN,
  });
  let bytes = 0;
  const results = await Promise.all(
    Array.from({ length: count }, async (_, s) => {
      const stream = await conn.createBidirectionalStream();
      const sent = payload(s);
      const writer = stream.writable.getWriter();
      const received = concat(stream.readable);
      for (let at = 0; at < sent.length; at += 5000) await writer.write(sent.subarray(at, at + 5000));
      await writer.close();
      const got = await received;
      bytes += got.length;
      return got.length === sent.length && got.every((b, i) => b === sent[i]);
    }),
  );
  conn.close({ closeCode: 0, reason: "done" });
  console.log(JSON.stringify({ ok: results.every(Boolean), streams: count, bytes }));
  Deno.exit(0);
}
