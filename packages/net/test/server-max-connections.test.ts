import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import { bytes, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

describe("startServer({ maxConnections })", () => {
  it("closes a connection beyond the limit before onClient, and serves again once a client left", async () => {
    let served = 0;
    const server = await startServer(
      async (reader, writer) => {
        served++;
        // Echo lines until EOF.
        for (let line = await reader.readLine(); line.length > 0; line = await reader.readLine()) writer.write(line);
        writer.close();
      },
      { host: HOST, port: 0, maxConnections: 2 },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const first = await openConnection({ host: HOST, port });
    const second = await openConnection({ host: HOST, port });
    closeAtEnd(first.writer);
    closeAtEnd(second.writer);
    for (const [i, client] of [first, second].entries()) {
      client.writer.write(bytes(`client ${i}\n`));
      expect(text(await within(client.reader.readLine()))).toBe(`client ${i}\n`);
    }

    // The third is accepted by the kernel, then closed by the server at once: EOF or a reset.
    const third = await openConnection({ host: HOST, port });
    closeAtEnd(third.writer);
    third.writer.write(bytes("let me in\n"));
    const refused = await within(
      third.reader.read().catch((error: unknown) => error),
      5_000,
      "the refusal",
    );
    expect([0, "ECONNRESET"]).toContain(
      refused instanceof Uint8Array ? refused.length : (refused as { code?: string }).code,
    );
    expect(served).toBe(2);

    // The first two are unaffected.
    second.writer.write(bytes("still here\n"));
    expect(text(await within(second.reader.readLine()))).toBe("still here\n");

    // One leaves: a new client is served.
    first.writer.close();
    await within(first.writer.waitClosed());
    const fourth = await openConnection({ host: HOST, port });
    closeAtEnd(fourth.writer);
    await until(() => served === 3, 5_000, "the fourth client to be served");
    fourth.writer.write(bytes("served\n"));
    expect(text(await within(fourth.reader.readLine()))).toBe("served\n");
  });

  it.each([0, -1, 1.5, Number.NaN, "2"])("refuses maxConnections %s before binding", async (maxConnections) => {
    await expect(
      startServer(() => undefined, { host: HOST, port: 0, maxConnections: maxConnections as number }),
    ).rejects.toThrow(/^Cannot start a server: maxConnections should be an integer, 1 or more, got /);
  });
});
