/**
 * @module
 * The project's Node-only test helpers: loopback servers and sockets, cleanup at the end of a test,
 * child-process peers (CPython, openssl), temporary directories and digests.
 */
export { sha256 } from "./digest.js";
export {
  HOST,
  closeAtEnd,
  closeServerAtEnd,
  collect,
  freePort,
  nextEvent,
  portOf,
  serveHttp,
  startHttpTestServer,
  startRawServer,
  tcpSocketHandles,
} from "./loopback.js";
export type { ClosableServer, RawServer } from "./loopback.js";
export { portFrom, spawnPeer, spawnPython } from "./peers.js";
export type { ChildPeer } from "./peers.js";
export { tempDir } from "./temp-dir.js";
