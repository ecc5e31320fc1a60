import type { Streams, Transport } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import { StreamWriter } from "@asyncstreams/writer";
import { WebSocketProtocol } from "./_web-socket-protocol.js";

/**
 * `createStreams()` with a {@linkcode WebSocketProtocol}: so that a transport that loses its
 * connection while the reader is behind can fail the writer at once, as a TCP reset does.
 */
export function createWebSocketStreams(transport: Transport, reader: StreamReader): Streams {
  const protocol = new WebSocketProtocol(reader);
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return { reader, writer: new StreamWriter(transport, { protocol, reader }) };
}
