import { connect } from "node:net";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import { bytes, sleep, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

describe("many connections (C6)", () => {
  it("C6: 1,000 connections held open at once, then 10 sequence-numbered round trips each: 10,000 of 10,000 echoes correct", {
    timeout: 30_000,
  }, async () => {
    let handlers = 0;
    const failures: unknown[] = [];
    const server = await startServer(
      async (reader, writer) => {
        handlers++;
        for await (const line of reader) writer.write(line);
        writer.close();
      },
      { host: HOST, port: 0, backlog: 1_024, onError: (error) => failures.push(error) },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const clients: Awaited<ReturnType<typeof openConnection>>[] = [];
    for (let batch = 0; batch < 1_000; batch += 100) {
      const opened = await within(
        Promise.all(Array.from({ length: 100 }, () => openConnection({ host: HOST, port }))),
        10_000,
        "a batch of 100 connections",
      );
      for (const client of opened) closeAtEnd(client.writer);
      clients.push(...opened);
    }
    await until(() => handlers === 1_000, 10_000, "1,000 handlers");
    await sleep(200); // held idle, all at once
    let correct = 0;
    await within(
      Promise.all(
        clients.map(async ({ reader, writer }, id) => {
          for (let seq = 0; seq < 10; seq++) {
            writer.write(bytes(`${id} ${seq}\n`));
            if (text(await reader.readLine()) === `${id} ${seq}\n`) correct++;
          }
          writer.close();
          expect(await reader.read()).toEqual(new Uint8Array(0));
          await writer.waitClosed();
        }),
      ),
      20_000,
      "10 round trips on each of 1,000 connections",
    );
    expect(correct).toBe(10_000);
    expect(failures).toEqual([]);
    server.close();
    await within(server.waitClosed(), 5_000, "the server to close with no client left");
  });
});

describe("slowloris over sockets (A14)", () => {
  it("A14: 50 peers sending one byte every 100 ms are each cut off by readLine({ signal: AbortSignal.timeout(500) }) within T + 1 s, the aborted reads consuming nothing", {
    timeout: 30_000,
  }, async () => {
    const deadlineMs = 500;
    const timeouts: { name: unknown; consumed: number; buffered: number; received: number }[] = [];
    const server = await startServer(
      async (reader, writer) => {
        try {
          for (;;) {
            const line = await reader.readLine({ signal: AbortSignal.timeout(deadlineMs) });
            if (line.length === 0) break;
            writer.write(line);
          }
        } catch (error) {
          timeouts.push({
            name: (error as Error).name,
            consumed: reader.bytesConsumed,
            buffered: reader.bufferedLength,
            received: reader.bytesReceived,
          });
        } finally {
          writer.close();
        }
      },
      { host: HOST, port: 0, backlog: 200 },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const honest = await openConnection({ host: HOST, port, noDelay: true });
    closeAtEnd(honest.writer);

    const attackers = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<{ socket: Socket; opened: number; lifetime: Promise<number> }>((resolve) => {
            const socket = connect({ host: HOST, port });
            socket.setNoDelay(true);
            socket.on("error", () => undefined);
            socket.resume();
            socket.once("connect", () => {
              const opened = performance.now();
              const timer = setInterval(() => socket.write("a"), 100);
              const lifetime = new Promise<number>((done) =>
                socket.once("close", () => {
                  clearInterval(timer);
                  done(performance.now() - opened);
                }),
              );
              resolve({ socket, opened, lifetime });
            });
          }),
      ),
    );
    // The honest client keeps its round trips going during the attack (each line well under T).
    let honestTrips = 0;
    const stopAt = performance.now() + deadlineMs + 1_000;
    while (performance.now() < stopAt) {
      honest.writer.write(bytes(`ping ${honestTrips}\n`));
      expect(text(await within(honest.reader.readLine(), 2_000, "an honest round trip"))).toBe(`ping ${honestTrips}\n`);
      honestTrips++;
      await sleep(50);
    }
    const lifetimes = await within(
      Promise.all(attackers.map(({ lifetime }) => lifetime)),
      5_000,
      "every attacker to be closed",
    );
    for (const { socket } of attackers) socket.destroy();
    expect(Math.max(...lifetimes)).toBeLessThan(deadlineMs + 1_000 + 1_000); // target T + 1 s; one more second of slack
    // Attackers are the connections that timed out with bytes buffered (the honest one, if it timed
    // out after going quiet, had nothing buffered).
    const attackerTimeouts = timeouts.filter(({ buffered }) => buffered > 0);
    expect(attackerTimeouts).toHaveLength(50);
    for (const entry of attackerTimeouts) {
      expect(entry.name).toBe("TimeoutError");
      expect(entry.consumed).toBe(0); // the aborted read consumed nothing:
      expect(entry.buffered).toBe(entry.received); // every byte received is still buffered
    }
    expect(honestTrips).toBeGreaterThan(5);
  });
});
