// @ts-check
// promise-socket over TCP (W5, W6): `new PromiseSocket(socket)` on both sides, `await write()` and
// `await read(5)`, as its README shows. It has no line reading, so each side reads W5's fixed
// 5-byte messages with `read(5)` (an equivalent workload: the same bytes on the wire, every message
// checked); `read()` resolves undefined at EOF, and `end()` closes the write side.
import { Buffer } from "node:buffer";
import { PromiseSocket } from "promise-socket";
import { I, O, PING, PONG } from "../lib/net-harness.js";
import { peerPingPong } from "./peer-ping-pong.js";

/** @import { Socket } from "node:net" */
/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */

const MESSAGE = PING.length;
/** promise-socket's `write()` takes a string or a Buffer: the two messages as Buffers, made once. */
const PING_BUFFER = Buffer.from(PING);
const PONG_BUFFER = Buffer.from(PONG);

/**
 * @param {PromiseSocket<Socket>} socket
 * @returns {Promise<Buffer | undefined>} `MESSAGE` bytes, fewer at the end, undefined at EOF.
 */
async function readMessage(socket) {
  return /** @type {Buffer | undefined} */ (await socket.read(MESSAGE));
}

/**
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
function pingPong(params) {
  return peerPingPong(params, {
    async serve(raw, counts) {
      const socket = new PromiseSocket(raw);
      for (let ping = await readMessage(socket); ping !== undefined; ping = await readMessage(socket)) {
        if (ping.length !== MESSAGE || ping[1] !== I || ping[MESSAGE - 1] !== 10) counts.badPings++;
        counts.pings++;
        await socket.write(PONG_BUFFER);
      }
      await socket.end();
    },
    client: (raw) => new PromiseSocket(raw),
    async roundTrip(socket) {
      await socket.write(PING_BUFFER);
      const pong = await readMessage(socket);
      return pong?.length === MESSAGE && pong[1] === O && pong[MESSAGE - 1] === 10;
    },
    async finish(socket) {
      await socket.end();
      return (await socket.readAll())?.length ?? 0;
    },
  });
}

/** @type {NetImpl} */
export const promiseSocketNet = {
  name: "promise-socket",
  passes: { W5: pingPong, W6: pingPong },
};
