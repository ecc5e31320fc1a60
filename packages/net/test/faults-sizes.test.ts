import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import { IncompleteReadError } from "@asyncstreams/reader";
import { bytes, deferred, sleep, text, track, until, within } from "@asyncstreams/test-utils";
import {
  HOST,
  closeAtEnd,
  closeServerAtEnd,
  collect,
  portOf,
  sha256,
  startRawServer,
} from "@asyncstreams/test-utils/node";
import { MiB, failureOf, pattern } from "./_faults-helpers.js";

describe("EOF inside readExactly() (A8)", () => {
  it("A8: 100 clients whose server sends 4 bytes and closes each get IncompleteReadError(partial = those 4 bytes, expected = 10)", async () => {
    const failures: unknown[] = [];
    const server = await startServer(
      (_reader, writer) => {
        writer.write(bytes("abcd"));
        writer.close();
      },
      { host: HOST, port: 0, backlog: 200, onError: (error) => failures.push(error) },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const outcomes = await within(
      Promise.all(
        Array.from({ length: 100 }, async () => {
          const { reader, writer } = await openConnection({ host: HOST, port });
          closeAtEnd(writer);
          const error = await failureOf(reader.readExactly(10));
          return { error, atEof: reader.atEof(), after: await reader.read() };
        }),
      ),
      10_000,
      "100 clients",
    );
    for (const { error, atEof, after } of outcomes) {
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(error).toMatchObject({
        code: "ERR_INCOMPLETE_READ",
        expected: 10,
        message: "4 bytes read on a total of 10 expected bytes",
      });
      expect(text((error as IncompleteReadError).partial)).toBe("abcd");
      expect(atEof).toBe(true); // the partial bytes were removed from the reader
      expect(after).toEqual(new Uint8Array(0));
    }
    expect(failures).toEqual([]);
  });
});

describe("reads far above the limit (A9)", () => {
  const body = pattern(10 * MiB, 9);

  it("A9: readExactly(10 MiB) with limit 64 KiB completes from a peer, byte-exact, without deadlock", async () => {
    const raw = await startRawServer((peer) => peer.end(body));
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, limit: 64 * 1024 });
    closeAtEnd(writer);
    const received = await within(reader.readExactly(body.length), 10_000, "readExactly(10 MiB)");
    expect(sha256(received)).toBe(sha256(body));
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
    expect(reader.isPausing).toBe(false);
  });

  it("A9: read(-1) with limit=1 reads 10 MiB from a peer to EOF, byte-exact (test_read_all_from_pipe_reader)", async () => {
    const raw = await startRawServer((peer) => peer.end(body));
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, limit: 1 });
    closeAtEnd(writer);
    const received = await within(reader.read(), 10_000, "read(-1)");
    expect(received.length).toBe(body.length);
    expect(sha256(received)).toBe(sha256(body));
    expect(reader.atEof()).toBe(true);
  });
});

describe("zero-length chunks (A10)", () => {
  it("A10: a peer's empty writes wake no read and mean no EOF; our empty writes send nothing and leave drain() resolved", async () => {
    const raw = await startRawServer();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, noDelay: true });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received = collect(peer);
    const line = track(reader.readLine());
    for (let i = 0; i < 100; i++) peer.write(new Uint8Array(0));
    await sleep(50);
    expect(line.settled).toBe(false);
    expect(reader.atEof()).toBe(false);
    expect(reader.bytesReceived).toBe(0);
    peer.write("x\n");
    expect(text(await within(line.promise))).toBe("x\n");

    for (let i = 0; i < 100; i++) writer.write(new Uint8Array(0));
    writer.writeLines([new Uint8Array(0), new Uint8Array(0)]);
    expect((writer.transport as SocketTransport).getWriteBufferSize()).toBe(0);
    await within(writer.drain());
    writer.write(bytes("y"));
    await until(() => received.size() === 1);
    await sleep(20);
    expect(text(Buffer.concat(received.chunks))).toBe("y");
  });
});

describe("huge single chunks (A11)", () => {
  it("A11: one 64 MiB write() arrives byte-exact through readExactly(64 MiB), and drain() resolves only at or below the low-water mark", {
    timeout: 30_000,
  }, async () => {
    const body = pattern(64 * MiB, 11);
    const digest = deferred<string>();
    const server = await startServer(
      async (reader, writer) => {
        digest.resolve(sha256(await reader.readExactly(64 * MiB)));
        writer.write(bytes("ok\n"));
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    const transport = writer.transport as SocketTransport;
    writer.write(body);
    expect(transport.getWriteBufferSize()).toBeGreaterThan(transport.getWriteBufferLimits().high);
    let sizeAtDrain = Number.NaN;
    await within(
      writer.drain().then(() => {
        sizeAtDrain = transport.getWriteBufferSize();
      }),
      20_000,
      "drain() after 64 MiB",
    );
    expect(sizeAtDrain).toBeLessThanOrEqual(transport.getWriteBufferLimits().low);
    expect(await within(digest.promise, 20_000, "the server's readExactly(64 MiB)")).toBe(sha256(body));
    expect(text(await within(reader.readLine()))).toBe("ok\n");
  });
});

describe("many small writes (B5)", () => {
  it("B5: 1,000 x 100 KiB with drain(), 1,000 x 100 KiB without, and a 14-chunk mixed writeLines() arrive as exactly 206,233,600 bytes", {
    timeout: 30_000,
  }, async () => {
    const size = 100 * 1024;
    const patterns = Array.from({ length: 16 }, (_, seed) => pattern(size, seed));
    const raw = await startRawServer();
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const seen = createHash("sha256");
    let total = 0;
    peer.on("data", (chunk: Buffer) => {
      seen.update(chunk);
      total += chunk.length;
    });
    const ended = new Promise<void>((resolve) => peer.once("end", () => resolve()));
    const sent = createHash("sha256");
    for (let i = 0; i < 1_000; i++) {
      writer.write(patterns[i % 16]!);
      sent.update(patterns[i % 16]!);
      await writer.drain();
    }
    for (let i = 0; i < 1_000; i++) {
      writer.write(patterns[(i * 7) % 16]!);
      sent.update(patterns[(i * 7) % 16]!);
    }
    const backing = pattern(3 * size, 5);
    const mixed = Array.from({ length: 14 }, (_, i) =>
      i % 3 === 0
        ? patterns[i]!
        : i % 3 === 1
          ? Buffer.from(patterns[i]!)
          : new Uint8Array(backing.buffer, (i % 2) * size, size),
    );
    writer.writeLines(mixed);
    for (const chunk of mixed) sent.update(chunk);
    await within(writer.drain(), 20_000, "drain() after the burst");
    writer.close();
    await within(writer.waitClosed(), 20_000, "waitClosed()");
    await within(ended, 10_000, "the peer's EOF");
    expect(total).toBe(2 * 1_000 * size + 14 * size);
    expect(total).toBe(206_233_600);
    expect(seen.digest("hex")).toBe(sent.digest("hex"));
  });
});
