// @ts-check
// it-byte-stream over TCP (W5, W6): `byteStream(duplex(socket))` on both sides, the socket turned
// into a duplex iterable with stream-to-it (the it-* ecosystem's adapter for Node streams).
// it-byte-stream has no line reading, so each side reads W5's fixed 5-byte messages with
// `read({ bytes: 5 })` (an equivalent workload: the same bytes on the wire, every message checked)
// and writes with `await write()`. The write side is closed the it-* way: `unwrap().sink([])`.
import { byteStream } from "it-byte-stream";
import { duplex } from "stream-to-it";
import { I, O, PING, PONG } from "../lib/net-harness.js";
import { bytesLeft } from "./it-byte-stream.js";
import { peerPingPong } from "./peer-ping-pong.js";

/** @import { Socket } from "node:net" */
/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */
/** @typedef {ReturnType<typeof byteStream<ReturnType<typeof duplex<Uint8Array>>>>} Bytes */

const MESSAGE = PING.length;

/**
 * @param {Socket} socket
 * @returns {Bytes}
 */
function open(socket) {
  return byteStream(duplex(socket));
}

/**
 * Ends the write side: the sink that byteStream() put on the duplex ends its queue, and
 * stream-to-it's sink then calls `socket.end()`.
 *
 * @param {Bytes} bytes
 */
async function close(bytes) {
  await bytes.unwrap().sink([]);
}

/**
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
function pingPong(params) {
  return peerPingPong(params, {
    async serve(socket, counts) {
      const bytes = open(socket);
      for (;;) {
        let ping;
        try {
          ping = await bytes.read({ bytes: MESSAGE });
        } catch (error) {
          if (error instanceof Error && error.name === "UnexpectedEOFError") break; // EOF
          throw error;
        }
        if (ping.get(1) !== I || ping.get(MESSAGE - 1) !== 10) counts.badPings++;
        counts.pings++;
        await bytes.write(PONG);
      }
      await close(bytes);
    },
    client: open,
    async roundTrip(bytes) {
      await bytes.write(PING);
      const pong = await bytes.read({ bytes: MESSAGE });
      return pong.get(1) === O && pong.get(MESSAGE - 1) === 10;
    },
    async finish(bytes) {
      await close(bytes);
      return bytesLeft(bytes);
    },
  });
}

/** @type {NetImpl} */
export const itByteStreamNet = {
  name: "it-byte-stream",
  passes: { W5: pingPong, W6: pingPong },
};
