// @ts-check
// M1's second process: opens --count idle TCP connections to 127.0.0.1:--port with plain node:net
// (the same client for every Node implementation), prints "connected N" once all are up, holds
// them, and exits when its stdin closes (the kernel then sends FIN on each).
//
// The server process writes how many connections it has accepted to our stdin, one number a line:
// each batch of connects waits until the previous ones were all accepted. A client that ran ahead
// would overflow the listen backlog (100), and every dropped SYN costs a one-second retry.
//   node bench/src/lib/idle-client.js --port 8888 --count 10000
import { connect } from "node:net";
import process from "node:process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { port: { type: "string" }, count: { type: "string" }, host: { type: "string", default: "127.0.0.1" } },
});
const port = Number(values.port);
const count = Number(values.count);
if (!Number.isInteger(port) || !Number.isInteger(count))
  throw new TypeError("Usage: idle-client.js --port PORT --count N");
/** Connects in flight at once: below the server's listen backlog (100). */
const BATCH = 50;

let accepted = 0;
/** @type {(() => void) | null} */
let onAccepted = null;
createInterface({ input: process.stdin }).on("line", (line) => {
  accepted = Number(line);
  onAccepted?.();
});
process.stdin.once("end", () => process.exit(0));

/**
 * @param {number} n
 * @returns {Promise<void>}
 */
function acceptedAtLeast(n) {
  return new Promise((resolve) => {
    onAccepted = () => {
      if (accepted >= n) {
        onAccepted = null;
        resolve();
      }
    };
    onAccepted();
  });
}

/** @type {import("node:net").Socket[]} */
const sockets = [];
/**
 * @returns {Promise<void>}
 */
function open() {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: values.host, port, noDelay: true });
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => {}); // the server may reset while we exit
      sockets.push(socket);
      resolve();
    });
    socket.once("error", reject);
  });
}

for (let first = 0; first < count; first += BATCH) {
  await acceptedAtLeast(first);
  const batch = [];
  for (let i = first; i < Math.min(count, first + BATCH); i++) batch.push(open());
  await Promise.all(batch);
}
process.stdout.write(`connected ${sockets.length}\n`);
