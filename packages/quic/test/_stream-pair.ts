import type { Protocol, Transport } from "@asyncstreams/protocol";
import type { QuicConnection } from "@asyncstreams/quic";

/**
 * Two ends of one new QUIC stream as bare transports (no protocol yet): `client` opens it,
 * `server` accepts it. A QUIC stream reaches the peer only with its first frame, so the opener
 * sends one marker byte, which a stand-in protocol on the accepting side takes before the real
 * protocol is set (asyncio's `set_protocol()`): the pair starts with nothing in flight.
 */
export async function quicStreamPair(client: QuicConnection, server: QuicConnection): Promise<[Transport, Transport]> {
  const opened = await client.openTransport();
  opened.write(new Uint8Array([0x2a]));
  const accepted = await server.acceptTransport();
  if (accepted === null) throw new Error("the server connection ended");
  await new Promise<void>((resolve, reject) => {
    const standIn: Protocol = {
      connectionMade: () => undefined,
      dataReceived: (data) =>
        data.length === 1 && data[0] === 0x2a
          ? resolve()
          : reject(new Error(`unexpected first chunk of ${data.length} bytes`)),
      eofReceived: () => (reject(new Error("EOF before the marker")), undefined),
      connectionLost: (error) => reject(error ?? new Error("lost before the marker")),
      pauseWriting: () => undefined,
      resumeWriting: () => undefined,
    };
    accepted.setProtocol(standIn);
  });
  return [opened, accepted];
}
