import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { openConnection, SocketError, startServer } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import { LimitOverrunError, ReadInProgressError } from "@asyncstreams/reader";
import { bytes, runBriefly, text, track, until, within } from "@asyncstreams/test-utils";
import {
  HOST,
  closeAtEnd,
  closeServerAtEnd,
  portOf,
  startRawServer,
  tcpSocketHandles,
} from "@asyncstreams/test-utils/node";
import { MiB, failureOf } from "./_faults-helpers.js";

describe("servers under load and shutdown (C5, C6)", () => {
  it("C5: close() with 20 clients mid-request refuses new connections, lets in-flight handlers finish, and waitClosed() waits for all", async () => {
    let started = 0;
    let finished = 0;
    const failures: unknown[] = [];
    const server = await startServer(
      async (reader, writer) => {
        started += 1;
        const line = await reader.readLine();
        writer.write(bytes(`done ${text(line)}`));
        await writer.drain();
        writer.close();
        await writer.waitClosed();
        finished += 1;
      },
      { host: HOST, port: 0, onError: (error) => failures.push(error) },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const clients = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const client = await openConnection({ host: HOST, port });
        closeAtEnd(client.writer);
        client.writer.write(bytes(`request ${i} first half`));
        await client.writer.drain();
        return client;
      }),
    );
    await until(() => started === 20, 5_000, "all 20 handlers to start");

    server.close();
    expect(await failureOf(openConnection({ host: HOST, port }))).toMatchObject({ code: "ECONNREFUSED" });
    const closed = track(server.waitClosed());

    for (const [i, client] of clients.entries()) {
      if (i === clients.length - 1) {
        await runBriefly(3);
        expect(closed.settled).toBe(false);
        expect(finished).toBe(19);
      }
      client.writer.write(bytes(", second half\n"));
      expect(text(await within(client.reader.readLine()))).toBe(`done request ${i} first half, second half\n`);
      expect(await within(client.reader.read())).toEqual(new Uint8Array(0));
    }
    await within(closed.promise, 5_000, "server.waitClosed()");
    expect(finished).toBe(20);
    expect(failures).toEqual([]);
  });

  it("C6: 100 concurrent connections echo sequence-numbered lines with none lost, duplicated or reordered", async () => {
    const server = await startServer(
      async (reader, writer) => {
        for await (const line of reader) {
          writer.write(line);
          await writer.drain();
        }
        writer.close();
        await writer.waitClosed();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const linesPerClient = 200;
    const results = await within(
      Promise.all(
        Array.from({ length: 100 }, async (_, client) => {
          const { reader, writer } = await openConnection({ host: HOST, port });
          closeAtEnd(writer);
          const sending = (async () => {
            for (let seq = 0; seq < linesPerClient; seq++) {
              writer.write(bytes(`client ${client} seq ${seq}\n`));
              if (seq % 50 === 49) await writer.drain();
            }
            writer.writeEof();
          })();
          const lines: string[] = [];
          const receiving = (async () => {
            for await (const line of reader) lines.push(text(line));
          })();
          await Promise.all([sending, receiving]);
          writer.close();
          await writer.waitClosed();
          return lines;
        }),
      ),
      15_000,
      "100 echo clients",
    );
    for (const [client, lines] of results.entries()) {
      expect(lines).toEqual(Array.from({ length: linesPerClient }, (_, seq) => `client ${client} seq ${seq}\n`));
    }
  });
});

describe("reads over a real socket (A1, C9, C10)", () => {
  it("A1: 1 MiB without a newline makes readLine() throw LimitOverrunError, bounded in memory, and the next line still arrives", async () => {
    const limit = 64 * 1024;
    const raw = await startRawServer((peer) => {
      peer.once("data", () => {
        peer.write(new Uint8Array(MiB).fill(0x41));
        peer.end("\nhello\n");
      });
    });
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, limit });
    closeAtEnd(writer);
    // Watch the reader's buffer after every chunk the transport delivers.
    const protocol = (writer.transport as SocketTransport).getProtocol()!;
    const deliver = protocol.dataReceived.bind(protocol);
    let largest = 0;
    protocol.dataReceived = (data) => {
      deliver(data);
      largest = Math.max(largest, reader.bufferedBytes().length);
    };
    writer.write(bytes("go\n"));
    let overruns = 0;
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      try {
        const line = await within(reader.readLine());
        if (line.length === 0) break;
        lines.push(text(line));
      } catch (error) {
        expect(error).toBeInstanceOf(LimitOverrunError);
        overruns += 1;
      }
    }
    expect(overruns).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe("hello\n");
    // asyncio parity: the over-long line is discarded; at most a tail fragment (< limit) comes back as a line.
    expect(lines.length).toBeLessThanOrEqual(2);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^A{0,65536}\n$/);
    expect(largest).toBeLessThanOrEqual(2 * limit + 64 * 1024);
    expect(reader.atEof()).toBe(true);
  });

  it("C9: a second concurrent readLine() rejects at once with ReadInProgressError; the first is unaffected", async () => {
    const raw = await startRawServer();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const first = track(reader.readLine());
    const second = await failureOf(reader.readLine());
    expect(second).toBeInstanceOf(ReadInProgressError);
    // asyncio parity: readLine() is built on readUntil(), and the message names readUntil().
    expect((second as Error).message).toMatch(
      /^readLine\(\) called while another read is already waiting for incoming data/,
    );
    peer.write("for the first\n");
    expect(text(await within(first.promise))).toBe("for the first\n");
  });

  it("C10: aborting pending readLine(), readExactly() and readUntil() loses no byte: the next read returns everything", async () => {
    const raw = await startRawServer();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const send = async (data: string, total: number): Promise<void> => {
      peer.write(data);
      await until(() => reader.bufferedBytes().length === total, 5_000, `"${data}" to arrive`);
    };
    const abortAfterArrival = async (
      read: (signal: AbortSignal) => Promise<Uint8Array>,
      data: string,
    ): Promise<void> => {
      const controller = new AbortController();
      const pending = track(read(controller.signal));
      await send(data, data.length);
      expect(pending.settled).toBe(false);
      const reason = new DOMException("The read timed out", "TimeoutError");
      controller.abort(reason);
      await within(pending.promise.catch(() => undefined));
      expect(pending.error).toBe(reason);
    };

    await abortAfterArrival((signal) => reader.readLine({ signal }), "abc");
    await send("def\n", 7);
    expect(text(await within(reader.readLine()))).toBe("abcdef\n");

    await abortAfterArrival((signal) => reader.readExactly(6, { signal }), "ghi");
    await send("jkl", 6);
    expect(text(await within(reader.readExactly(6)))).toBe("ghijkl");

    await abortAfterArrival((signal) => reader.readUntil(bytes("!!"), { signal }), "mn!");
    await send("o!!", 6);
    expect(text(await within(reader.readUntil(bytes("!!"))))).toBe("mn!o!!");

    // A timeout signal works the same way.
    const timedOut = await failureOf(reader.readLine({ signal: AbortSignal.timeout(20) }));
    expect(timedOut).toMatchObject({ name: "TimeoutError" });
    await send("pq\n", 3);
    expect(text(await within(reader.readLine()))).toBe("pq\n");
  });
});

describe("connecting (C3)", () => {
  it("C3: a refused connection rejects with SocketError ECONNREFUSED carrying Node's error as cause", async () => {
    const raw = await startRawServer();
    await raw.close();
    const error = await failureOf(openConnection({ host: HOST, port: raw.port }));
    expect(error).toBeInstanceOf(SocketError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", syscall: "connect", cause: { code: "ECONNREFUSED" } });
  });

  it("C3: an already aborted signal rejects with its reason before any socket is made", async () => {
    const raw = await startRawServer();
    const reason = new Error("aborted before");
    const before = tcpSocketHandles();
    await expect(openConnection({ host: HOST, port: raw.port, signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(tcpSocketHandles()).toBe(before);
    await runBriefly(5);
    expect(raw.accepted).toHaveLength(0);
  });

  it("C3: an abort right after calling openConnection() rejects with the reason and leaves no open socket", async () => {
    const raw = await startRawServer((peer) => peer.destroy());
    const before = tcpSocketHandles();
    const controller = new AbortController();
    const connecting = openConnection({ host: HOST, port: raw.port, signal: controller.signal });
    const reason = new DOMException("Connecting was aborted", "AbortError");
    controller.abort(reason);
    await expect(within(connecting)).rejects.toBe(reason);
    await until(() => tcpSocketHandles() === before, 5_000, "the aborted socket's handle to close");
  });

  it("C3: a signal aborted after the connection is made has no effect on it", async () => {
    const raw = await startRawServer((peer) => peer.pipe(peer));
    const controller = new AbortController();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, signal: controller.signal });
    closeAtEnd(writer);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort();
    writer.write(bytes("alive\n"));
    expect(text(await within(reader.readLine()))).toBe("alive\n");
    expect(writer.isClosing()).toBe(false);
  });
});
