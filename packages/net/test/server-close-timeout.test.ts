import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import { bytes, deferred, runBriefly, sleep, text, track, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

/** Reads everything the client sends until EOF or an error, as text. */
async function readAll(reader: { read(n?: number): Promise<Uint8Array> }): Promise<{ text: string; error: unknown }> {
  let received = "";
  try {
    for (let chunk = await reader.read(4096); chunk.length > 0; chunk = await reader.read(4096))
      received += text(chunk);
    return { text: received, error: undefined };
  } catch (error) {
    return { text: received, error };
  }
}

describe("Server.close({ timeout })", () => {
  it("resets an idle client at the deadline, so waitClosed() settles then and not before", async () => {
    const served = deferred();
    const handlerEnded = deferred<unknown>();
    const server = await startServer(
      async (reader, writer) => {
        served.resolve();
        // Idle: waits for a line that never comes.
        handlerEnded.resolve(
          await reader.readLine().then(
            (line) => text(line),
            (error: unknown) => error,
          ),
        );
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(served.promise, 5_000, "the handler to start");

    const started = performance.now();
    server.close({ timeout: 300 });
    const closed = track(server.waitClosed());
    await runBriefly(5);
    expect(closed.settled).toBe(false); // the idle client is still open before the deadline
    await within(closed.promise, 5_000, "waitClosed() after the deadline");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3_000);
    // The server side was aborted: as asyncio's abort() (connection_lost(None)), its pending readLine() sees EOF.
    expect(await within(handlerEnded.promise)).toBe("");
    // The client sees the connection end (a reset, or EOF), and nothing it did not send.
    const { text: rest } = await within(readAll(reader));
    expect(rest).toBe("");
  });

  it("lets a busy client finish before the deadline: every line is answered, nothing is aborted", async () => {
    const served = deferred();
    const server = await startServer(
      async (reader, writer) => {
        served.resolve();
        // Busy: answers each line 50 ms later, until the client's EOF.
        for (let line = await reader.readLine(); line.length > 0; line = await reader.readLine()) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          writer.write(line);
          await writer.drain();
        }
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    writer.write(bytes("first\n"));
    await within(served.promise, 5_000, "the handler to start");

    server.close({ timeout: 10_000 });
    // In flight when close() was called, and after: all answered.
    for (let i = 0; i < 5; i++) writer.write(bytes(`line ${i}\n`));
    writer.writeEof();
    const started = performance.now();
    const { text: echoed, error } = await within(readAll(reader), 8_000, "the echoes");
    expect(error).toBeUndefined();
    expect(echoed).toBe("first\nline 0\nline 1\nline 2\nline 3\nline 4\n");
    await within(server.waitClosed(), 5_000, "waitClosed()");
    // Settled as the client finished, long before the 10 s deadline.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("aborts a client still busy at the deadline, after answering what it could", async () => {
    const served = deferred();
    const handlerErrors: unknown[] = [];
    const server = await startServer(
      async (reader, writer) => {
        served.resolve();
        try {
          // Busy for longer than the deadline: one line every 100 ms for 10 s.
          for (let i = 0; i < 100; i++) {
            writer.write(bytes(`tick ${i}\n`));
            await writer.drain();
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        } finally {
          writer.close();
        }
        void reader;
      },
      { host: HOST, port: 0, onError: (error) => handlerErrors.push(error) },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(served.promise, 5_000, "the handler to start");
    expect(text(await within(reader.readLine()))).toBe("tick 0\n");

    const started = performance.now();
    server.close({ timeout: 400 });
    await within(server.waitClosed(), 5_000, "waitClosed() at the deadline");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3_000);
    // Lines written before the deadline arrive in order, then the connection ends.
    const { text: rest } = await within(readAll(reader));
    const ticks = rest.split("\n").filter((line) => line !== "");
    expect(ticks.length).toBeLessThan(99);
    ticks.forEach((line, i) => expect(line).toBe(`tick ${i + 1}`));
    // The handler's next drain() after the abort failed: reported to onError, not thrown anywhere.
    await until(() => handlerErrors.length > 0, 2_000, "the handler's error");
    expect(handlerErrors).toEqual([expect.objectContaining({ code: "ERR_CONNECTION_LOST" })]);
  });

  it("settles at once with no clients, and a deadline set by an earlier close() is kept", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    server.close({ timeout: 60_000 });
    await within(server.waitClosed(), 1_000, "waitClosed() with no clients");
    server.close({ timeout: 10 }); // closed already: nothing to do
    await within(server.waitClosed(), 1_000);
  });

  it("refuses a timeout that is not a number of milliseconds from 0 to 2^31-1, and stays open", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    for (const timeout of [-1, Number.NaN, Infinity, 2 ** 31]) {
      expect(() => server.close({ timeout })).toThrow(
        new RangeError(
          `Cannot close the server: timeout should be a number of milliseconds from 0 to 2147483647, got ${timeout}${timeout > 2 ** 31 - 1 ? "; leave it out for no deadline" : ""}`,
        ),
      );
    }
    expect(() => server.close({ timeout: "100" as never })).toThrow(
      new TypeError('Cannot close the server: timeout should be a number, got "100" (string)'),
    );
    expect(server.isServing()).toBe(true);
  });

  it("refuses a timeout over 2^31-1 ms, which setTimeout() would fire at once, and resets no client", async () => {
    const served = deferred();
    const server = await startServer(
      async (reader, writer) => {
        served.resolve();
        writer.write(await reader.readLine()); // echoes one line, then closes
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(served.promise, 5_000, "the handler to start");
    for (const timeout of [2 ** 31, 3e9]) expect(() => server.close({ timeout })).toThrow(/from 0 to 2147483647/);
    expect(server.isServing()).toBe(true); // a refused call changes nothing
    server.close({ timeout: 2 ** 31 - 1 }); // the longest deadline setTimeout() keeps
    const closed = track(server.waitClosed());
    await sleep(50); // a 2^31 ms delay would have fired after 1 ms and reset the client
    expect(closed.settled).toBe(false);
    writer.write(bytes("still here\n"));
    expect(text(await within(reader.readLine()))).toBe("still here\n");
    await within(closed.promise, 5_000, "waitClosed() once the handler closed");
  });
});
