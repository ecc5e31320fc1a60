// Public-API smoke of @asyncstreams/websocket, run against an installed copy by the release checks
// (scripts/release/). The main entry runs on every runtime (Node, Bun, Deno): two in-memory WHATWG
// sockets wired to each other, so no network and no node: import. On Node it also runs the
// `/server` entry point with `ws` (the optional peer dependency, which the release checks install
// next to the package): a line echo over a real WebSocket on 127.0.0.1.
import { acceptWebSocket, openWebSocketConnection, WebSocketHandshakeError } from "@asyncstreams/websocket";

const deadline = setTimeout(() => {
  console.error("websocket smoke: no answer within 20 s");
  if (globalThis.Deno !== undefined) globalThis.Deno.exit(1);
  else process.exit(1); // Node and Bun
}, 20_000);
const encode = (text) => new TextEncoder().encode(text);
const decode = (bytes) => new TextDecoder().decode(bytes);

/** One end of an in-memory WebSocket pair: the part of the WHATWG WebSocket the package uses. */
class MemorySocket {
  readyState = 1;
  bufferedAmount = 0;
  protocol = "";
  binaryType = "blob";
  /** @type {MemorySocket | undefined} */
  peer;
  #listeners = new Map();
  addEventListener(type, listener) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type, listener) {
    this.#listeners.set(
      type,
      (this.#listeners.get(type) ?? []).filter((candidate) => candidate !== listener),
    );
  }
  dispatch(event) {
    for (const listener of this.#listeners.get(event.type) ?? []) listener(event);
  }
  send(data) {
    if (this.readyState !== 1) throw new Error("MemorySocket: send() while not open");
    const copy = data.slice().buffer; // a message is an ArrayBuffer of its own, as binaryType says
    setTimeout(() => this.peer?.readyState === 1 && this.peer.dispatch({ type: "message", data: copy }));
  }
  close(code = 1005, reason = "") {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    // The closing handshake: the peer learns the code, answers, and both ends are closed.
    setTimeout(() => {
      for (const end of [this.peer, this]) {
        if (end === undefined || end.readyState === 3) continue;
        end.readyState = 3;
        end.dispatch({ type: "close", code, reason, wasClean: true });
      }
    });
  }
}

// --- Main entry, any runtime ----------------------------------------------------------------------
const clientSocket = new MemorySocket();
const serverSocket = new MemorySocket();
clientSocket.peer = serverSocket;
serverSocket.peer = clientSocket;
const server = acceptWebSocket(serverSocket);
const client = acceptWebSocket(clientSocket);
const served = (async () => {
  server.writer.write(await server.reader.readLine());
  await server.writer.drain();
  server.writer.close(); // close code 1000: EOF for the client
  await server.writer.waitClosed();
})();
client.writer.write(encode("hello\n"));
const echoed = decode(await client.reader.readLine());
const rest = await client.reader.read();
await served;
client.writer.close();
await client.writer.waitClosed();
if (echoed !== "hello\n" || rest.length !== 0 || !client.reader.atEof())
  throw new Error(`websocket smoke: echoed ${JSON.stringify(echoed)}, then ${rest.length} bytes`);
if (client.writer.canWriteEof()) throw new Error("websocket smoke: a WebSocket has no half-close");
let refused;
try {
  await openWebSocketConnection("ws://127.0.0.1:9/", { notAnOption: true });
} catch (error) {
  refused = error;
}
if (!(refused instanceof TypeError)) throw new Error(`websocket smoke: an unknown option gave ${refused}`);
if (typeof WebSocketHandshakeError !== "function") throw new Error("websocket smoke: no WebSocketHandshakeError");

// --- The /server entry point, Node only (it needs node:http and ws) -------------------------------
const onNode = globalThis.Deno === undefined && globalThis.Bun === undefined;
if (onNode) {
  const { startWebSocketServer } = await import("@asyncstreams/websocket/server");
  let ws;
  try {
    ws = await import("ws");
  } catch (error) {
    throw new Error(`websocket smoke: the /server entry needs ws installed next to the package (${error})`);
  }
  const wsServer = await startWebSocketServer(
    async (reader, writer) => {
      for await (const line of reader) {
        writer.write(line);
        await writer.drain();
      }
      writer.close();
    },
    { host: "127.0.0.1", port: 0 },
  );
  const [{ port }] = wsServer.addresses();
  const { reader, writer } = await openWebSocketConnection(`ws://127.0.0.1:${port}/`, {
    WebSocket: ws.WebSocket,
    handshakeTimeout: 10_000,
  });
  writer.write(encode("over ws\n"));
  const line = decode(await reader.readLine());
  writer.close();
  await writer.waitClosed();
  wsServer.close();
  await wsServer.waitClosed();
  if (line !== "over ws\n") throw new Error(`websocket smoke: the /server echo gave ${JSON.stringify(line)}`);
}
clearTimeout(deadline);
console.log(`ok @asyncstreams/websocket (main entry${onNode ? " and /server with ws" : ""})`);
