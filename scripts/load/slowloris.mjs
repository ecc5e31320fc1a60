// @ts-check
// T6 / A14: attackers each send one byte every 100 ms and never a newline, against a server whose
// handler reads with readLine({ signal: AbortSignal.timeout(T) }) and closes on timeout, while
// honest clients keep doing round trips. Server in its own process; attackers and honest clients here.
import { connect } from "node:net";
import { openConnection } from "../../packages/net/dist/index.js";
import { percentile, sleep, startServerChild } from "./_child.mjs";

const PING = new TextEncoder().encode("ping\n");

/**
 * Honest clients doing round trips, one at a time each, with `pauseMs` between them, until `stop()`.
 * @param {number} port
 * @param {number} count
 */
export async function honest(port, count, pauseMs = 20) {
  /** @type {{ at: number, ms: number }[]} */
  const samples = [];
  let running = true;
  let errors = 0;
  const loops = Array.from({ length: count }, async () => {
    const { reader, writer } = await openConnection({ host: "127.0.0.1", port, noDelay: true });
    try {
      while (running) {
        const start = performance.now();
        writer.write(PING);
        const line = await reader.readLine();
        if (line.length !== 5) throw new Error("honest round trip failed");
        samples.push({ at: start, ms: performance.now() - start });
        await sleep(pauseMs);
      }
    } catch {
      errors++;
    } finally {
      writer.close();
    }
  });
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return errors;
    },
  };
}

/**
 * @param {{ attackers: number, deadlineMs: number, honestClients: number }} options
 */
export async function runSlowloris({ attackers, deadlineMs, honestClients }) {
  const server = await startServerChild(["deadline", String(deadlineMs)]);
  try {
    // Quiet baseline: honest clients alone for 1 s.
    const quiet = await honest(server.port, honestClients);
    await sleep(1_000);
    const quietErrors = await quiet.stop();
    const quietP99 = percentile(
      quiet.samples.map((s) => s.ms),
      99,
    );

    const under = await honest(server.port, honestClients);
    const attackStart = performance.now();
    /** @type {{ socket: import("node:net").Socket, opened: number, closed: number | undefined }[]} */
    const attack = [];
    let connectErrors = 0;
    for (let batch = 0; batch < attackers; batch += 250) {
      const opening = [];
      for (let i = batch; i < Math.min(batch + 250, attackers); i++) {
        const socket = connect({ host: "127.0.0.1", port: server.port });
        socket.setNoDelay(true);
        const entry = { socket, opened: Number.NaN, closed: /** @type {number | undefined} */ (undefined) };
        attack.push(entry);
        opening.push(
          new Promise((resolve) => {
            socket.once("connect", () => {
              entry.opened = performance.now();
              resolve(undefined);
            });
            socket.once("error", () => {
              if (Number.isNaN(entry.opened)) connectErrors++;
              resolve(undefined);
            });
          }),
        );
        socket.on("data", () => {});
        socket.on("error", () => {});
        socket.once("close", () => {
          entry.closed = performance.now();
        });
        socket.on("end", () => socket.end());
      }
      await Promise.all(opening);
    }
    const opened = performance.now();
    const drip = setInterval(() => {
      for (const entry of attack) if (entry.closed === undefined && !entry.socket.destroyed) entry.socket.write("a");
    }, 100);
    // Wait until every attacker is gone or T + 3 s after the last one connected.
    while (attack.some((entry) => entry.closed === undefined) && performance.now() - opened < deadlineMs + 3_000)
      await sleep(50);
    const allShedAt = performance.now();
    clearInterval(drip);
    // One more second of honest traffic with the attackers gone.
    await sleep(1_000);
    const underErrors = await under.stop();
    for (const entry of attack) entry.socket.destroy();

    const lifetimes = attack.map((entry) =>
      entry.closed === undefined ? Number.POSITIVE_INFINITY : entry.closed - entry.opened,
    );
    const shedInTime = lifetimes.filter((ms) => ms <= deadlineMs + 1_000).length;
    const during = under.samples.filter((s) => s.at >= attackStart && s.at < allShedAt).map((s) => s.ms);
    const after = under.samples.filter((s) => s.at >= allShedAt).map((s) => s.ms);
    const { shed } = await server.stats();
    return {
      attackers,
      deadlineMs,
      connectErrors,
      shedInTime,
      stillOpen: lifetimes.filter((ms) => ms === Number.POSITIVE_INFINITY).length,
      maxLifetimeMs: Math.max(...lifetimes.filter(Number.isFinite)),
      serverTimeouts: Number(shed),
      quietP99,
      duringP50: percentile(during, 50),
      duringP99: percentile(during, 99),
      afterP99: percentile(after, 99),
      honestRoundTrips: under.samples.length,
      honestErrors: quietErrors + underErrors,
    };
  } finally {
    await server.stop();
  }
}
