import type { Socket } from "node:net";
import type { SocketTransport } from "./socket-transport.js";
import { diagnostics } from "./_diagnostics.js";
import type { NetCloseMessage } from "./diagnostics-channels.js";

/** The reader counters a close message reports, when the protocol still has its reader. */
interface ReaderCounters {
  readonly bytesReceived: number;
  readonly bytesConsumed: number;
}

/**
 * Publishes the `close` diagnostics message of a connection; call only when the channel has
 * subscribers. Without a reader the socket's own byte count stands in for both reader counters.
 *
 * @param transport The transport whose connection is lost.
 * @param socket Its socket.
 * @param details Which end it is, the reader if any, when it opened, and the loss error.
 */
export function publishClose(
  transport: SocketTransport,
  socket: Socket,
  details: { serverSide: boolean; reader: ReaderCounters | null | undefined; openedAt: number; error: unknown },
): void {
  const { reader } = details;
  const message: NetCloseMessage = {
    transport,
    serverSide: details.serverSide,
    bytesReceived: reader?.bytesReceived ?? socket.bytesRead,
    bytesConsumed: reader?.bytesConsumed ?? socket.bytesRead,
    bytesWritten: socket.bytesWritten,
    duration: performance.now() - details.openedAt,
    error: details.error,
  };
  diagnostics.close.publish(message);
}
