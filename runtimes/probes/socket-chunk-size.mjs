// @ts-check
// Probe: how large are the chunks a TCP socket's 'data' event delivers? A peer on 127.0.0.1 sends
// 8 MiB at once; the reader records the largest chunk. Node (libuv) reads at most 64 KiB per read;
// tests that bound memory by "2 x limit + 64 KiB" rely on that. Prints one JSON line.
import { connect, createServer } from "node:net";

const TOTAL = 8 * 1024 * 1024;
const server = createServer((socket) => socket.end(new Uint8Array(TOTAL)));
await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
const address = server.address();
if (address === null || typeof address === "string") throw new Error("Cannot probe: no TCP address");
const socket = connect(address.port, "127.0.0.1");
let largest = 0;
let chunks = 0;
let received = 0;
const timer = setTimeout(() => socket.destroy(new Error("Timed out after 10 s")), 10_000);
await new Promise((resolve, reject) => {
  socket.on("data", (chunk) => {
    chunks += 1;
    received += chunk.length;
    largest = Math.max(largest, chunk.length);
  });
  socket.on("end", () => resolve(undefined));
  socket.on("error", reject);
});
clearTimeout(timer);
socket.destroy();
server.close();
console.log(JSON.stringify({ probe: "socket-chunk-size", received, chunks, largestChunk: largest }));
