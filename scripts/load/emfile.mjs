// @ts-check
// T10 / C8: the echo server runs under `ulimit -n 64` in its own process; 150 clients connect and
// hold their connections; then we check it did not crash, measure its CPU time over 2 s while its
// descriptors are exhausted, free them, and check that 20 new connections are served.
import { connect } from "node:net";
import { cpuSeconds, sleep, startServerChild } from "./_child.mjs";

/**
 * One connection that sends a line and reports whether it was echoed, closed or left waiting.
 * @param {number} port
 * @param {number} waitMs
 * @returns {Promise<{ socket: import("node:net").Socket, outcome: "served" | "closed" | "waiting" | "error" }>}
 */
function tryEcho(port, waitMs) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let answer = "";
    const done = (/** @type {"served" | "closed" | "waiting" | "error"} */ outcome) => {
      clearTimeout(timer);
      resolve({ socket, outcome });
    };
    const timer = setTimeout(() => done("waiting"), waitMs);
    socket.on("connect", () => socket.write("hello\n"));
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (answer === "hello\n") done("served");
    });
    socket.on("error", () => done("error"));
    socket.on("close", () => done("closed"));
  });
}

/**
 * @param {{ clients: number, fds: number, fresh: number }} options
 */
export async function runEmfile({ clients, fds, fresh }) {
  const server = await startServerChild(["echo"], { ulimitFds: fds });
  try {
    const held = await Promise.all(Array.from({ length: clients }, () => tryEcho(server.port, 2_000)));
    const count = (/** @type {string} */ outcome, list = held) =>
      list.filter((entry) => entry.outcome === outcome).length;
    const aliveWhileExhausted = server.alive();
    const cpuBefore = cpuSeconds(server.pid);
    await sleep(2_000);
    const cpuExhausted = (cpuSeconds(server.pid) - cpuBefore) / 2;
    const freedAt = performance.now();
    for (const entry of held) entry.socket.destroy();
    // Recovery: the first moment a new connection is served again.
    let recoveryMs = Number.NaN;
    while (performance.now() - freedAt < 5_000) {
      const probe = await tryEcho(server.port, 500);
      probe.socket.destroy();
      if (probe.outcome === "served") {
        recoveryMs = performance.now() - freedAt;
        break;
      }
    }
    const after = await Promise.all(Array.from({ length: fresh }, () => tryEcho(server.port, 2_000)));
    for (const entry of after) entry.socket.destroy();
    const alive = server.alive();
    const errorEvents = server.events.filter((event) => event.event === "error");
    return {
      fds,
      clients,
      served: count("served"),
      closed: count("closed") + count("error"),
      waiting: count("waiting"),
      aliveWhileExhausted,
      cpuPercent: cpuExhausted * 100,
      recoveryMs,
      freshServed: count("served", after),
      fresh,
      alive,
      errorEvents: errorEvents.length,
      errorCodes: [...new Set(errorEvents.map((event) => String(event.code)))].join(",") || "none",
    };
  } finally {
    await server.stop();
  }
}
