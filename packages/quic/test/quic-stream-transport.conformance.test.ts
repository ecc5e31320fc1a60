import { afterAll, beforeAll, describe, it } from "vitest";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import type { QuicConnection, QuicServer } from "@asyncstreams/quic";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { ALPN, fixture, HOST } from "./_helpers.js";
import { quicStreamPair } from "./_stream-pair.js";

describe("QuicStreamTransport conformance over a loopback QUIC stream (Node, @matrixai/quic)", () => {
  let server: QuicServer;
  let client: QuicConnection;
  let accepted: Promise<QuicConnection>;

  beforeAll(async () => {
    let resolve: (connection: QuicConnection) => void = () => undefined;
    accepted = new Promise((r) => (resolve = r));
    server = await startQuicServer(null, {
      host: HOST,
      port: 0,
      tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
      onConnection: (connection) => resolve(connection),
      maxStreams: 1000,
    });
    const port = server.addresses()[0]!.port;
    client = await openQuicConnection({
      host: HOST,
      port,
      tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
      maxStreams: 1000,
    });
  });

  afterAll(async () => {
    client.close();
    await client.closed;
    server.close();
    server.abortClients();
    await server.waitClosed();
  });

  // The kit's waits are generous: @matrixai/quic moves data slowly on a loaded machine.
  const cases = transportConformance(async () => ({ transports: await quicStreamPair(client, await accepted) }), {
    halfClose: true,
    pauseReading: true,
    writeBufferLimits: true,
    timeout: 30_000,
  });
  for (const c of cases) it(c.name, c.run, 120_000);
});
