// @ts-check
// S7: shutdown under load. Pipelined sequence-numbered echo over `connections` connections (the
// server in its own process, `shutdown` mode); at `closeAtMs` the server is told to close(), then to
// closeClients() `graceMs` later. Each client sends flat out until its reads end. Checks: every line the
// server answered (wrote before closeClients()) reaches its client, in order and once; waitClosed()
// resolves within 1 s of closeClients(); no new connection is accepted after close(); the server
// process sees no unhandled rejection. A client's reads may end in a reset instead of EOF: the server
// closes with that client's unread lines in its socket buffer, which Linux answers with RST (so does
// asyncio's close()); what counts is that every answered line arrived before it.
import { connect } from "node:net";
import { openConnection } from "../../packages/net/dist/index.js";
import { sleep, startServerChild } from "./_child.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Lines each client keeps in flight. */
const WINDOW = 1_000;

/**
 * A connect that must be refused (the server stopped listening): the outcome's error code.
 * @param {number} port
 * @returns {Promise<string>}
 */
function refusedConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("accepted");
    });
    socket.once("error", (/** @type {NodeJS.ErrnoException} */ error) => resolve(String(error.code)));
  });
}

/**
 * @param {{ connections: number, closeAtMs: number, graceMs: number }} options
 */
export async function runShutdown({ connections, closeAtMs, graceMs }) {
  const server = await startServerChild(["shutdown"]);
  try {
    const begun = performance.now();
    /** @type {Map<string, { received: number, outcome: string }>} */
    const clients = new Map();
    let duplicated = 0;
    let reordered = 0;
    let received = 0;
    /** @param {number} id */
    const client = async (id) => {
      const { reader, writer } = await openConnection({ host: "127.0.0.1", port: server.port, noDelay: true });
      const mine = { received: 0, outcome: "eof" };
      clients.set(String(id), mine);
      let ended = false;
      /** @type {(() => void) | undefined} */
      let wake;
      const sending = (async () => {
        for (let seq = 0; !ended; seq += 100) {
          // A window of lines in flight, as a pipelining client keeps: without it the server's reads
          // queue up seconds of lines and close() would land seconds after it is asked for.
          while (seq - mine.received >= WINDOW && !ended)
            await new Promise((resolve) => {
              wake = () => resolve(undefined);
            });
          let text = "";
          for (let at = seq; at < seq + 100; at++) text += `${id} ${at}\n`;
          writer.write(encoder.encode(text));
          await writer.drain();
        }
      })().catch(() => undefined); // writes after the server's FIN may meet its reset
      try {
        for (;;) {
          const line = await reader.readLine();
          if (line.length === 0) break;
          const [who, seqText] = decoder.decode(line).trimEnd().split(" ");
          const seq = Number(seqText);
          if (Number(who) !== id || seq > mine.received) reordered++;
          else if (seq < mine.received) duplicated++;
          else {
            mine.received++;
            received++;
            if (mine.received % 100 === 0) wake?.();
          }
        }
      } catch (error) {
        mine.outcome = String(/** @type {{ code?: unknown }} */ (error)?.code ?? error);
      } finally {
        ended = true;
        wake?.();
        await sending;
        writer.close();
        await writer.waitClosed().catch(() => undefined);
      }
    };
    const running = Promise.allSettled(Array.from({ length: connections }, (_, id) => client(id)));
    await sleep(closeAtMs);
    const receivedAtClose = received;
    server.child.stdin?.write(`shutdown ${graceMs}\n`);
    const event = (/** @type {string} */ name) => server.events.find((e) => e.event === name);
    while (event("close") === undefined && performance.now() - begun < closeAtMs + 10_000) await sleep(10);
    const probe = await refusedConnect(server.port);
    const failures = (await running).filter((result) => result.status === "rejected").length;
    const started = performance.now();
    while (
      (event("waitClosed") === undefined || server.events.filter((e) => e.event === "conn").length < connections) &&
      performance.now() - started < 10_000
    )
      await sleep(50);
    const stats = await server.stats();
    let answered = 0;
    let read = 0;
    let lost = 0;
    let extra = 0;
    for (const conn of server.events.filter((e) => e.event === "conn")) {
      const mine = clients.get(String(conn.id));
      answered += Number(conn.answered);
      read += Number(conn.read);
      lost += Math.max(0, Number(conn.answered) - (mine?.received ?? 0));
      extra += Math.max(0, (mine?.received ?? 0) - Number(conn.answered));
    }
    const outcomes = new Map();
    for (const { outcome } of clients.values()) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    return {
      connections,
      closeAtMs,
      graceMs,
      failures,
      rateBeforeClose: receivedAtClose / (closeAtMs / 1000),
      received,
      answered,
      unanswered: read - answered,
      lost,
      extra,
      duplicated,
      reordered,
      outcomes: [...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(", "),
      clientsAtClose: Number(event("close")?.clients ?? Number.NaN),
      clientsAtCloseClients: Number(event("closeClients")?.clients ?? Number.NaN),
      waitClosedMs: Number(event("waitClosed")?.ms ?? Number.POSITIVE_INFINITY),
      probe,
      unhandled: Number(stats.unhandled),
      unhandledReasons: server.events
        .filter((e) => e.event === "unhandled")
        .map((e) => String(e.reason))
        .slice(0, 3),
    };
  } finally {
    await server.stop();
  }
}
