// The TLS package's own test helpers: hand-made Node TLS peers. Everything generic (bounded waits,
// loopback servers, child peers, the test certificates) is in `@asyncstreams/test-utils`.
import type { Socket } from "node:net";
import { TLSSocket, createSecureContext } from "node:tls";
import type { SecureContext } from "node:tls";
import { SERVER } from "@asyncstreams/test-utils/certs";
import { spawnPython as spawnPythonIn, startRawServer } from "@asyncstreams/test-utils/node";
import type { ChildPeer, RawServer } from "@asyncstreams/test-utils/node";

/** A secure context for hand-made Node TLS peers. */
export function serverContext(identity: { key: string; cert: string } = SERVER): SecureContext {
  return createSecureContext(identity);
}

/**
 * A raw TCP server on 127.0.0.1 whose connections are wrapped in a server-side Node `TLSSocket`
 * (no asyncstreams code): `onSecure` gets the TLS socket and the raw socket under it once the
 * handshake is done, so a test can also misbehave on the raw socket (truncate, corrupt).
 */
export async function startNodeTlsPeer(
  onSecure: (secure: TLSSocket, raw: Socket) => void,
  identity: { key: string; cert: string } = SERVER,
): Promise<RawServer> {
  const secureContext = serverContext(identity);
  return startRawServer((raw) => {
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    secure.on("error", () => undefined);
    secure.once("secure", () => onSecure(secure, raw));
  });
}

const PYTHON_PEERS = new URL("./python/", import.meta.url);

/** Runs `python3 test/python/<script> ...args` (standard library only); killed at the end of the test. */
export function spawnPython(script: string, args: readonly string[] = []): ChildPeer {
  return spawnPythonIn(PYTHON_PEERS, script, args);
}
