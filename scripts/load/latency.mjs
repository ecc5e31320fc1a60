// @ts-check
// T3: round trips under load, against a `readLine()` echo server in its own process; N connections
// (openConnection clients, here), each first doing one unmeasured warm-up round trip, then:
//   1. closed loop: every connection does R back-to-back ping-pongs at once: round trips/s (and its
//      RTTs, which by Little's law are about N / rate: queueing, not latency);
//   2. paced: every connection does R ping-pongs 200 ms apart, starting at random offsets (an offered
//      load of N × 5 per second, half of the target rate at 1,000 conns): p50/p99 RTT.
import { openConnection } from "../../packages/net/dist/index.js";
import { percentile, sleep, startServerChild } from "./_child.mjs";

/**
 * @param {{ connections: number, roundTrips: number }} options
 */
export async function runLatency({ connections, roundTrips }) {
  const server = await startServerChild(["echo"]);
  try {
    const encoder = new TextEncoder();
    /** @type {Awaited<ReturnType<typeof openConnection>>[]} */
    const clients = [];
    for (let i = 0; i < connections; i += 250) {
      clients.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(250, connections - i) }, () =>
            openConnection({ host: "127.0.0.1", port: server.port, noDelay: true }),
          ),
        )),
      );
    }
    let wrong = 0;
    /**
     * @param {number} pauseMs
     * @returns {Promise<{ rtts: number[], seconds: number }>}
     */
    const round = async (pauseMs) => {
      /** @type {number[]} */
      const rtts = [];
      const started = performance.now();
      await Promise.all(
        clients.map(async ({ reader, writer }, id) => {
          if (pauseMs > 0) await sleep(Math.random() * pauseMs);
          for (let seq = 0; seq < roundTrips; seq++) {
            const ping = encoder.encode(`${id} ${seq}\n`);
            const at = performance.now();
            writer.write(ping);
            const line = await reader.readLine();
            rtts.push(performance.now() - at);
            if (line.length !== ping.length) wrong++;
            if (pauseMs > 0) await sleep(pauseMs);
          }
        }),
      );
      return { rtts, seconds: (performance.now() - started) / 1000 };
    };
    await round(0); // warm-up, unmeasured
    const closed = await round(0);
    const paced = await round(200);
    for (const { writer } of clients) writer.close();
    await Promise.all(clients.map(({ writer }) => writer.waitClosed().catch(() => undefined)));
    return {
      connections,
      roundTrips: closed.rtts.length + paced.rtts.length,
      wrong,
      rate: closed.rtts.length / closed.seconds,
      closedP50: percentile(closed.rtts, 50),
      closedP99: percentile(closed.rtts, 99),
      p50: percentile(paced.rtts, 50),
      p99: percentile(paced.rtts, 99),
    };
  } finally {
    await server.stop();
  }
}
