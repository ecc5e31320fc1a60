import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import { DrainTimeoutError, drainDeadline } from "@asyncstreams/writer";
import type { StreamWriter } from "@asyncstreams/writer";
import { deferred, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

/** A TCP connection to a server that does not read until the test says so. */
async function connection() {
  const accepted = deferred<{ reader: StreamReader; writer: StreamWriter }>();
  const server = await startServer((reader, writer) => accepted.resolve({ reader, writer }), { host: HOST, port: 0 });
  closeServerAtEnd(server);
  const { writer } = await openConnection({ host: HOST, port: portOf(server) });
  closeAtEnd(writer);
  const peer = await within(accepted.promise);
  return { writer, peer };
}

/**
 * Writes until the kernel's buffers are full and ours holds more than `margin` bytes. A test whose
 * drain must not complete needs a margin beyond what the kernel can still take in as loopback's
 * buffers grow (autotuning: several MiB each way), or the drain completes on a loaded machine.
 */
async function fill(writer: StreamWriter, margin = 256 * 1024): Promise<void> {
  const chunk = new Uint8Array(256 * 1024);
  for (let i = 0; i < 512 && writer.bufferedLength <= margin; i++) {
    writer.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(writer.bufferedLength).toBeGreaterThan(margin);
}

/** More than loopback's socket buffers can grow to take in (tcp_rmem + tcp_wmem maxima). */
const NEVER_DRAINED = 40 * 1024 * 1024; // Linux defaults: tcp_rmem max 32 MiB, tcp_wmem max 4 MiB

/** Timers alive in this process: a deadline must leave none behind. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

describe("drainDeadline() over TCP", () => {
  it("rejects drain() with DrainTimeoutError('idle') when the peer never reads, and leaves no timer", async () => {
    const { writer } = await connection();
    await fill(writer, NEVER_DRAINED);
    const before = timers();
    const deadline = drainDeadline(writer, { idle: 200 });
    const started = performance.now();
    const error = await writer.drain({ signal: deadline.signal }).then(
      () => "drained",
      (caught: unknown) => caught,
    );
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).kind).toBe("idle");
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(5_000);
    expect(timers()).toBeLessThanOrEqual(before); // the deadline's interval is gone
    (writer.transport as SocketTransport).abort(); // the peer never reads: close() would flush forever
  });

  it("does not cut off a slow peer that keeps reading", async () => {
    const { writer, peer } = await connection();
    await fill(writer);
    // Over TCP the kernel's buffers (megabytes on loopback) sit between our buffer and the peer's
    // reads: a window update, and so progress here, comes only once the peer has read a good part
    // of them. The idle limit must cover that; the in-memory test pins the exact behaviour.
    using deadline = drainDeadline(writer, { idle: 1_000, total: 20_000 });
    const drained = writer.drain({ signal: deadline.signal });
    // Reads in steps with pauses, so the drain takes many idle ticks (250 ms) but progresses.
    let stop = false;
    const reading = (async () => {
      while (!stop) {
        await peer.reader.read(64 * 1024);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await within(drained, 15_000, "the slow drain");
    stop = true;
    expect(deadline.signal.aborted).toBe(false);
    writer.close();
    await within(reading.catch(() => undefined));
  });

  it("rejects with DrainTimeoutError('total') at the deadline whatever the progress", async () => {
    const { writer } = await connection();
    await fill(writer, NEVER_DRAINED);
    using deadline = drainDeadline(writer, { idle: 10_000, total: 150 });
    const error = await within(writer.drain({ signal: deadline.signal }).catch((caught: unknown) => caught));
    expect((error as DrainTimeoutError).kind).toBe("total");
    (writer.transport as SocketTransport).abort(); // the peer never reads: close() would flush forever
  });
});
