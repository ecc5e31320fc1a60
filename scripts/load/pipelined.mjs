// @ts-check
// T2 / S1: sequence-numbered lines pipelined over 100 connections to an echo server in another
// process; every client checks that each of its lines comes back once, in order.
import { openConnection } from "../../packages/net/dist/index.js";
import { startServerChild } from "./_child.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * @param {{
 *   lines: number,
 *   connections: number,
 *   tickMs?: number,
 *   onTick?: (
 *     progress: { ok: number, seconds: number, server: import("./_child.mjs").ServerChild },
 *   ) => Promise<void> | void,
 *   nodeFlags?: string[],
 * }} options
 *   onTick: called every tickMs with the lines received in order so far (the soak run streams these);
 *   nodeFlags: the server process's Node flags (the soak passes --expose-gc for post-GC memory figures)
 */
export async function runPipelined({ lines, connections, tickMs = 10_000, onTick, nodeFlags = [] }) {
  const perConnection = Math.ceil(lines / connections);
  const server = await startServerChild(["echo"], { nodeFlags });
  let live = 0;
  let ok = 0;
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  let failures = 0;
  const started = performance.now();
  const ticker =
    onTick === undefined
      ? undefined
      : setInterval(() => void onTick({ ok: live, seconds: (performance.now() - started) / 1000, server }), tickMs);
  /** @param {number} id */
  const client = async (id) => {
    const { reader, writer } = await openConnection({ host: "127.0.0.1", port: server.port, noDelay: true });
    const sending = (async () => {
      const batch = 200;
      for (let seq = 0; seq < perConnection; seq += batch) {
        let text = "";
        for (let at = seq; at < Math.min(seq + batch, perConnection); at++) text += `${id} ${at}\n`;
        writer.write(encoder.encode(text));
        await writer.drain();
      }
    })();
    let next = 0;
    let mine = 0;
    for (;;) {
      const line = await reader.readLine();
      if (line.length === 0) break;
      const [who, seqText] = decoder.decode(line).trimEnd().split(" ");
      const seq = Number(seqText);
      if (Number(who) !== id) reordered++;
      else if (seq === next) {
        mine++;
        live++;
        next++;
      } else if (seq < next) duplicated++;
      else {
        reordered++;
        next = seq + 1;
      }
      if (next === perConnection) break;
    }
    await sending;
    writer.close();
    await writer.waitClosed().catch(() => {});
    ok += mine;
    lost += perConnection - mine;
  };
  const results = await Promise.allSettled(Array.from({ length: connections }, (_, id) => client(id)));
  for (const result of results)
    if (result.status === "rejected") {
      failures++;
      console.error(result.reason);
    }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(ticker);
  await server.stop();
  const total = perConnection * connections;
  lost = total - ok; // counts the lines of a client that failed, too
  return { total, connections, ok, lost, duplicated, reordered, failures, seconds, rate: ok / seconds };
}
