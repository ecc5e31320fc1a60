// @ts-check
// split2 over TCP (W5, W6): `socket.pipe(split2())` on both sides, as its README shows. The server
// answers from the 'data' handler of its line stream (callback code, as node-raw's server); each
// client, which must wait for its answer, reads its line stream with the stream's async iterator
// (`for await`'s `next()`), and writes with `write()` + 'drain' when write() returns false. Lines are
// decoded strings without the "\n"; `maxLength` is the workload's limit.
import split2 from "split2";
import { PING, PONG } from "../lib/net-harness.js";
import { drained } from "./node-raw-net.js";
import { peerPingPong } from "./peer-ping-pong.js";

/** @import { Socket } from "node:net" */
/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */

/**
 * @typedef {object} LineClient
 * @property {Socket} socket
 * @property {AsyncIterator<string>} lines
 */

/**
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
function pingPong(params) {
  return peerPingPong(params, {
    serve(socket, counts) {
      return new Promise((resolve, reject) => {
        const lines = socket.pipe(split2({ maxLength: params.limit }));
        lines.on("data", (/** @type {string} */ line) => {
          if (line !== "PING") counts.badPings++;
          counts.pings++;
          if (!socket.write(PONG)) {
            lines.pause();
            socket.once("drain", () => lines.resume());
          }
        });
        lines.once("end", () => {
          socket.end();
          resolve();
        });
        lines.once("error", reject);
      });
    },
    /** @returns {LineClient} */
    client: (socket) => ({
      socket,
      lines: socket.pipe(split2({ maxLength: params.limit }))[Symbol.asyncIterator](),
    }),
    async roundTrip({ socket, lines }) {
      if (!socket.write(PING)) await drained(socket);
      const { done, value } = await lines.next();
      return done !== true && value === "PONG";
    },
    async finish({ socket, lines }) {
      socket.end();
      let left = 0;
      for (let next = await lines.next(); next.done !== true; next = await lines.next()) left += next.value.length + 1;
      return left;
    },
  });
}

/** @type {NetImpl} */
export const split2Net = {
  name: "split2",
  passes: { W5: pingPong, W6: pingPong },
};
