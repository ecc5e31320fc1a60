// C12, run with --expose-gc (spawned by faults-unclosed.test.ts over the packages' sources):
//   node ... _reliability-gc-child.mjs closed,dropped
// runs each mode in turn, then prints one JSON line {"<mode>": {...}} for it:
//   closed   opens 20 connections, reads to the peer's EOF, closes each writer and awaits waitClosed()
//   dropped  the same, but drops reader and writer without close()
// After each mode it collects garbage and reports TCP handles before and after, how many writers
// were collected, and every process warning seen during the mode.
import { createServer } from "node:net";
import { openConnection } from "@asyncstreams/net";

const gc = /** @type {() => void} */ (globalThis.gc);
let warnings = [];
process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));
const tcpHandles = () => process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
const turn = () => new Promise((resolve) => setTimeout(resolve, 10));

// The peer: a plain Node server that sends one line and closes its side at once (FIN).
const peer = createServer((socket) => {
  socket.on("error", () => undefined);
  socket.end("bye\n");
});
await new Promise((resolve) => peer.listen(0, "127.0.0.1", () => resolve(undefined)));
const port = /** @type {import("node:net").AddressInfo} */ (peer.address()).port;
for (const mode of (process.argv[2] ?? "closed,dropped").split(",")) {
  warnings = [];
  const baseline = tcpHandles();
  const writers = [];
  for (let i = 0; i < 20; i++) {
    const { reader, writer } = await openConnection({ host: "127.0.0.1", port });
    writers.push(new WeakRef(writer));
    await reader.readLine();
    await reader.read(); // EOF: the peer closed its side
    if (mode === "closed") {
      writer.close();
      await writer.waitClosed();
    }
  }
  for (let i = 0; i < 20; i++) {
    gc();
    await turn();
  }
  // Finalizers run after a collection, and a socket closed by one is released a tick later.
  for (let i = 0; i < 5; i++) await turn();
  const result = {
    baseline,
    after: tcpHandles(),
    collected: writers.filter((ref) => ref.deref() === undefined).length,
    warnings,
  };
  process.stdout.write(`${JSON.stringify({ [mode]: result })}\n`);
}
peer.close();
// Whatever stayed open must not keep this fixture alive.
process.exit(0);
