import { describe, expect, it } from "vitest";
import { openConnection } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import type { StreamWriter } from "@asyncstreams/writer";
import { sleep, track, within } from "@asyncstreams/test-utils";
import type { Tracked } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, startRawServer } from "@asyncstreams/test-utils/node";

const CHUNK = 64 * 1024;

/** Loops write(64 KiB) + drain() until a drain() stays pending for 100 ms; returns it and the bytes written. */
async function fillUntilParked(
  writer: StreamWriter,
): Promise<{ parked: Tracked<void>; written: number; largest: number }> {
  const transport = writer.transport as SocketTransport;
  const chunk = new Uint8Array(CHUNK);
  let written = 0;
  let largest = 0;
  for (let i = 0; i < 2_000; i++) {
    writer.write(chunk);
    written += CHUNK;
    largest = Math.max(largest, transport.getWriteBufferSize());
    const drained = track(writer.drain());
    await Promise.race([drained.promise, sleep(100)]);
    if (!drained.settled) return { parked: drained, written, largest };
  }
  throw new Error(`drain() never blocked after ${written} bytes`);
}

describe("non-reading peers (B1)", () => {
  it("B1: 20 writers against peers that never read all park in drain() with at most high-water + one chunk buffered each, using no CPU, and lose nothing once the peers read", {
    timeout: 30_000,
  }, async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const clients = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const client = await openConnection({ host: HOST, port: raw.port });
        closeAtEnd(client.writer);
        return client;
      }),
    );
    const parked = await within(
      Promise.all(clients.map(({ writer }) => fillUntilParked(writer))),
      20_000,
      "20 writers to park",
    );
    const high = (clients[0]!.writer.transport as SocketTransport).getWriteBufferLimits().high;
    for (const { largest, parked: drain } of parked) {
      expect(largest).toBeLessThanOrEqual(high + CHUNK); // 128 KiB: the user-space bound of T4
      expect(drain.settled).toBe(false);
    }

    // Parked means idle: no timer or retry loop spins while the peers do not read (target CPU ~ 0).
    const cpuBefore = process.cpuUsage();
    await sleep(1_000);
    const cpu = process.cpuUsage(cpuBefore);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(0.2);
    expect(parked.every(({ parked: drain }) => !drain.settled)).toBe(true);

    // The peers read: every drain() resolves, and each peer gets every byte, then EOF.
    const totals = raw.accepted.map((peer) => {
      let bytes = 0;
      peer.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      const ended = new Promise<void>((resolve) => peer.once("end", () => resolve()));
      peer.resume();
      return { ended, bytes: () => bytes };
    });
    await within(Promise.all(parked.map(({ parked: drain }) => drain.promise)), 10_000, "every parked drain()");
    expect(parked.filter(({ parked: drain }) => drain.rejected)).toEqual([]);
    for (const { writer } of clients) writer.close();
    await within(Promise.all(clients.map(({ writer }) => writer.waitClosed())), 10_000, "every writer to close");
    await within(Promise.all(totals.map(({ ended }) => ended)), 10_000, "every peer's EOF");
    const written = parked.map(({ written }) => written).sort((a, b) => a - b);
    expect(totals.map(({ bytes }) => bytes()).sort((a, b) => a - b)).toEqual(written);
  });
});

describe("a parked drain() when the connection fails (B1, B3)", () => {
  // asyncio's connection_lost(exc) fails every parked drain waiter with exc. A reset empties the
  // socket's buffer by dropping its data: that must not resume the writer as if it had been sent
  // (the bug this test found, fixed in SocketTransport.#maybeResumeProtocol).
  it("B1: a drain() parked by a peer that never reads rejects with ConnectionResetError when that peer resets", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const { parked } = await within(fillUntilParked(writer), 10_000, "the writer to park");
    (await raw.nextSocket()).resetAndDestroy();
    const readError = await within(
      reader.read().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(readError).toMatchObject({ code: "ECONNRESET" });
    await within(parked.promise.catch(() => undefined));
    expect(parked.rejected).toBe(true);
    expect(parked.error).toBe(readError);
  });
});
