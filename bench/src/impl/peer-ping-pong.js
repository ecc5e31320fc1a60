// @ts-check
// W5 and W6 for the peer libraries: one library on both sides of each connection, over plain
// node:net sockets with noDelay on (as node-raw's). The library-specific parts (its server loop, its
// client round trip, its way of closing) come in; the counts every W5/W6 row checks are kept here.
import { expectCount } from "../lib/memory-harness.js";
import { deferred, inBatches, startClock } from "../lib/net-harness.js";
import { closeRaw, connectRaw, listenRaw } from "./node-raw-net.js";

/** @import { Socket } from "node:net" */
/** @import { PassResult, WorkloadParams } from "../lib/types.js" */

/**
 * @typedef {object} PingCounts
 * @property {number} pings PINGs the server read.
 * @property {number} badPings Of those, how many were not "PING\n".
 */

/**
 * @template C
 * @typedef {object} PeerPingPong
 * @property {(socket: Socket, counts: PingCounts) => Promise<void>} serve Answers each PING with a
 *   PONG until EOF, then closes its side.
 * @property {(socket: Socket) => C} client Wraps a connected client socket.
 * @property {(client: C) => Promise<boolean>} roundTrip Writes a PING and reads the PONG: whether
 *   it was "PONG\n".
 * @property {(client: C) => Promise<number>} finish Closes the client's side, waits for the
 *   server's EOF and returns how many bytes came after the last PONG (0 when none).
 */

/**
 * One W5/W6 pass: opens the connections (in batches), times every round trip of every client,
 * then closes and checks the counts.
 *
 * @template C
 * @param {WorkloadParams} params
 * @param {PeerPingPong<C>} peer
 * @returns {Promise<PassResult>}
 */
export async function peerPingPong(params, peer) {
  const connections = params.connections ?? 1;
  const roundTrips = params.roundTrips ?? 0;
  const done = deferred();
  /** @type {PingCounts} */
  const counts = { pings: 0, badPings: 0 };
  let ended = 0;
  const { server, port } = await listenRaw((socket) => {
    socket.once("error", done.reject);
    peer.serve(socket, counts).then(() => {
      if (++ended === connections) done.resolve();
    }, done.reject);
  });
  const sockets = await inBatches(connections, () => connectRaw(port));
  const clients = sockets.map((socket) => peer.client(socket));
  let pongs = 0;
  let badPongs = 0;
  const stop = startClock();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < roundTrips; i++) {
        if (!(await peer.roundTrip(client))) badPongs++;
        pongs++;
      }
    }),
  );
  const result = stop();
  const leftovers = await Promise.all(clients.map((client) => peer.finish(client)));
  await done.promise;
  expectCount("round trips answered by the server", counts.pings, connections * roundTrips);
  expectCount("round trips completed by the clients", pongs, connections * roundTrips);
  expectCount("malformed PING lines", counts.badPings, 0);
  expectCount("malformed PONG lines", badPongs, 0);
  expectCount(
    "bytes after the last PONG",
    leftovers.reduce((sum, n) => sum + n, 0),
    0,
  );
  await closeRaw(server, sockets);
  return result;
}
