// @ts-check
/** @import { NetWorkload } from "../lib/types.js" */

/**
 * Ping-pong over TCP on 127.0.0.1: each client writes "PING\n" + `drain()`, then `readLine()`; the
 * server answers each `readLine()` with "PONG\n" + `drain()`. Connections are opened (50 at a
 * time) before the clock starts; the clock runs from the first PING to the last PONG, with every
 * connection running its round trips concurrently. Measures the per-message cost of a full
 * request/response through reader, writer and transport: one event-loop round trip each.
 *
 * @param {string} id
 * @param {number} connections
 * @param {number} roundTrips Per connection.
 * @param {{ connections: number, roundTrips: number }} quick
 * @returns {NetWorkload}
 */
function pingPong(id, connections, roundTrips, quick) {
  const many = connections > 1;
  return {
    id,
    base: id,
    kind: "tcp",
    title: many
      ? `TCP: ${connections} concurrent connections × ${roundTrips} round trips of PING/PONG lines`
      : `TCP: one connection, ${roundTrips} round trips: PING + drain, server readLine() → PONG + drain, client readLine()`,
    unit: "rt/s",
    better: "higher",
    params: (isQuick) => (isQuick ? { ...quick, limit: 65_536 } : { connections, roundTrips, limit: 65_536 }),
    warmup: (params) =>
      many
        ? { ...params, connections: Math.ceil((params.connections ?? 0) / 10) }
        : { ...params, roundTrips: Math.ceil((params.roundTrips ?? 0) / 10) },
    figure: (params, seconds) => ((params.connections ?? 0) * (params.roundTrips ?? 0)) / seconds,
  };
}

/** W5: one connection, 50,000 round trips. */
export const w5PingPong = pingPong("W5", 1, 50_000, { connections: 1, roundTrips: 5_000 });
/** W6: 200 concurrent connections × 500 round trips each. */
export const w6Concurrent = pingPong("W6", 200, 500, { connections: 50, roundTrips: 100 });
