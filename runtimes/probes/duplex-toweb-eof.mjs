// @ts-check
// Probe for nodejs/node#64160: does `Duplex.toWeb(socket).readable` report the peer's EOF while our
// own write side is still open? The peer sends "hi" and half-closes; we never end our side. Node 20
// never reports the end (the readable waits for our side to finish too). Prints one JSON line.
import { connect, createServer } from "node:net";
import { Duplex } from "node:stream";

const WAIT_MS = 2_000;
const server = createServer({ allowHalfOpen: true }, (socket) => socket.end("hi"));
await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
const address = server.address();
if (address === null || typeof address === "string") throw new Error("Cannot probe: no TCP address");
const socket = connect({ port: address.port, host: "127.0.0.1", allowHalfOpen: true });
await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
const { readable } = Duplex.toWeb(socket);
const reader = readable.getReader();
let text = "";
let eof = false;
const deadline = Date.now() + WAIT_MS;
while (Date.now() < deadline) {
  /** @type {ReadableStreamReadResult<Uint8Array> | "timeout"} */
  const next = await Promise.race([
    reader.read(),
    new Promise((resolve) => setTimeout(() => resolve("timeout"), deadline - Date.now())),
  ]);
  if (next === "timeout") break;
  if (next.done) {
    eof = true;
    break;
  }
  text += new TextDecoder().decode(next.value);
}
socket.destroy();
server.close();
console.log(JSON.stringify({ probe: "duplex-toweb-eof", received: text, eofWhileOurSideOpen: eof, waitedMs: WAIT_MS }));
process.exit(0);
