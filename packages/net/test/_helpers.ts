// The net package's own test helpers. Everything generic (bounded waits, loopback servers, child
// peers, cleanup) is in the project's test toolkit, `@asyncstreams/test-utils`.
import { spawnPython as spawnPythonIn } from "@asyncstreams/test-utils/node";
import type { ChildPeer } from "@asyncstreams/test-utils/node";

const PYTHON_PEERS = new URL("./python/", import.meta.url);

/** Runs `python3 test/python/<script> ...args` (standard library only); killed at the end of the test. */
export function spawnPython(script: string, args: readonly string[] = []): ChildPeer {
  return spawnPythonIn(PYTHON_PEERS, script, args);
}
