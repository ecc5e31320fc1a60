import type { Socket } from "node:net";

/**
 * Closes `socket` with an RST (SO_LINGER 0), so the peer learns the connection was not ended
 * cleanly; a plain close where Node cannot reset (a Unix socket, a TLS socket: `resetAndDestroy()`
 * throws on those).
 */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
