import type { Socket } from "node:net";

/**
 * The peer's address as asyncio's `peername`, read while the socket is open (it vanishes at close).
 *
 * @param socket A connected socket.
 * @returns `{ address, family, port }`, frozen, or `undefined` for a Unix socket's anonymous peer.
 */
export function peerName(socket: Socket): unknown {
  if (socket.remoteAddress === undefined) return undefined;
  // Frozen as `sockname` is (see below): extra info is a snapshot, not something to edit.
  return Object.freeze({ address: socket.remoteAddress, family: socket.remoteFamily, port: socket.remotePort });
}

/**
 * The local address as asyncio's `sockname`.
 *
 * @param socket A connected socket.
 * @returns `{ address, family, port }`, frozen, or the path of a Unix socket.
 */
export function sockName(socket: Socket): unknown {
  // Node caches this object on the socket and returns it from every `address()` call: frozen, it is
  // shared rather than copied (one object less per connection; nobody can change it under Node).
  const address = socket.address();
  return "address" in address ? Object.freeze(address) : address;
}

/**
 * A peer name for `toString()`: `address:port`, or the value as text (a Unix socket's `""`).
 *
 * @param peer What `peerName()` returned, or an adopted connection's own value.
 */
export function describePeer(peer: unknown): string {
  if (typeof peer !== "object" || peer === null) return String(peer);
  const { address, port } = peer as { address?: unknown; port?: unknown };
  return `${String(address)}:${String(port)}`;
}
