// @ts-check
// node:readline over TCP (W5, W6): the server reads lines with readline.createInterface over the
// socket and `for await`, answering with write() (+ 'drain' when it returns false); the clients are
// node-raw's, so the row differs from node-raw only by the server's line reading.
import { createInterface } from "node:readline";
import { drained, listenRaw, rawPingPongClients } from "./node-raw-net.js";
import { PONG } from "../lib/net-harness.js";

/** @import { NetImpl, WorkloadParams, PassResult } from "../lib/types.js" */

/**
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
function pingPong(params) {
  const connections = params.connections ?? 1;
  return rawPingPongClients(params, (done, counts) => {
    let ended = 0;
    return listenRaw((socket) => {
      const serve = async () => {
        const lines = createInterface({ input: socket, crlfDelay: Infinity });
        for await (const line of lines) {
          if (line !== "PING") counts.badPings++;
          counts.pings++;
          if (!socket.write(PONG)) await drained(socket);
        }
        socket.end();
        if (++ended === connections) done.resolve();
      };
      serve().catch(done.reject);
    });
  });
}

/** @type {NetImpl} */
export const readlineNet = {
  name: "node:readline",
  passes: { W5: pingPong, W6: pingPong },
};
