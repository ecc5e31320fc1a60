import { connect, createServer } from "node:net";
import type { Socket } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { SocketError, openConnection, openUnixConnection, startServer, startUnixServer } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { bytes, sleep, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, tempDir } from "@asyncstreams/test-utils/node";
import { spawnSourceChild } from "./_reliability-child.js";

/** Whether this machine can bind ::1 (containers without IPv6 cannot): the IPv6 tests need it. */
const IPV6_LOOPBACK: boolean = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once("error", () => resolve(false));
  probe.listen({ host: "::1", port: 0 }, () => probe.close(() => resolve(true)));
});

/** A port on 127.0.0.1 with nothing listening right now: bind port 0, read it, close. */
async function freePortOf(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen({ host: HOST, port: 0 }, resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Echoes one line, then closes. */
async function echoLine(reader: StreamReader, writer: StreamWriter): Promise<void> {
  writer.write(await reader.readLine());
  writer.close();
}

/** Sends a line over a fresh connection to `port` and returns the echo. */
async function roundTrip(port: number, line = "ping\n"): Promise<string> {
  const { reader, writer } = await openConnection({ host: HOST, port });
  closeAtEnd(writer);
  writer.write(bytes(line));
  return text(await within(reader.readLine()));
}

describe("happyEyeballsDelay, interleave and allErrors (asyncio's open_connection options)", () => {
  it("a delay with a fraction of a millisecond connects instead of throwing Node's RangeError", async () => {
    const server = await startServer(echoLine, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({
      host: HOST,
      port: portOf(server),
      happyEyeballsDelay: 250.5,
      interleave: 1,
    });
    closeAtEnd(writer);
    writer.write(bytes("hi\n"));
    expect(text(await within(reader.readLine()))).toBe("hi\n");
  });

  it("a delay that is not a positive number, and an interleave other than 1, are refused by name before connecting", async () => {
    await expect(openConnection({ host: HOST, port: 9, happyEyeballsDelay: Number.NaN })).rejects.toThrow(
      /^Cannot open a connection: happyEyeballsDelay should be a positive number of milliseconds/,
    );
    await expect(openConnection({ host: HOST, port: 9, happyEyeballsDelay: -1 })).rejects.toThrow(RangeError);
    await expect(openConnection({ host: HOST, port: 9, interleave: 2 as never })).rejects.toThrow(
      /interleave should be 1, got 2/,
    );
  });

  it("allErrors rejects with an AggregateError holding each attempt's SocketError", async () => {
    const port = await freePortOf();
    const error = await openConnection({ host: HOST, port, allErrors: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    const { errors } = error as AggregateError;
    expect(errors.length).toBeGreaterThan(0);
    for (const attempt of errors) expect(attempt).toMatchObject({ code: "ECONNREFUSED" });
    expect(errors[0]).toBeInstanceOf(SocketError);
    const single = await openConnection({ host: HOST, port }).catch((caught: unknown) => caught);
    expect(single).toBeInstanceOf(SocketError);
  });
});

describe("family and adopted sockets on the servers (asyncio's family= and sock=)", () => {
  it("family 4 without a host listens on 0.0.0.0 only; with a host, on its IPv4 addresses", async () => {
    const wildcard = await startServer(echoLine, { port: 0, family: 4 });
    closeServerAtEnd(wildcard);
    expect(wildcard.addresses().map((entry) => (entry as { address: string }).address)).toEqual(["0.0.0.0"]);
    const named = await startServer(echoLine, { host: "localhost", port: 0, family: 4 });
    closeServerAtEnd(named);
    expect(named.addresses().every((entry) => (entry as { family: string }).family === "IPv4")).toBe(true);
    expect(await roundTrip(portOf(named))).toBe("ping\n");
  });

  it.skipIf(!IPV6_LOOPBACK)(
    "family 6 without a host listens on :: only, IPv6-only as asyncio sets IPV6_V6ONLY (needs ::1, skipped where it cannot be bound)",
    async () => {
      const wildcard = await startServer(echoLine, { port: 0, family: 6 });
      closeServerAtEnd(wildcard);
      expect(wildcard.addresses()).toEqual([{ address: "::", family: "IPv6", port: portOf(wildcard) }]);
      const { reader, writer } = await openConnection({ host: "::1", port: portOf(wildcard) });
      closeAtEnd(writer);
      writer.write(bytes("six\n"));
      expect(text(await within(reader.readLine()))).toBe("six\n");
      await expect(openConnection({ host: HOST, port: portOf(wildcard) })).rejects.toMatchObject({
        code: "ECONNREFUSED",
      });
    },
  );

  it.skipIf(!IPV6_LOOPBACK)(
    "family 6 with host ::1 listens there, and an address of the other family is refused as getaddrinfo() would (needs ::1, skipped where it cannot be bound)",
    async () => {
      const named = await startServer(echoLine, { host: "::1", port: 0, family: 6 });
      closeServerAtEnd(named);
      expect(named.addresses()).toEqual([{ address: "::1", family: "IPv6", port: portOf(named) }]);
      await expect(startServer(echoLine, { host: HOST, port: 0, family: 6 })).rejects.toThrow(
        "Cannot start a server: cannot resolve 127.0.0.1 to an IPv6 address: it is an IPv4 address",
      );
      await expect(startServer(echoLine, { host: "::1", port: 0, family: 4 })).rejects.toMatchObject({
        code: "ENOTFOUND",
      });
    },
  );

  it("a family other than 0, 4 or 6 is a RangeError, and flags or proto a TypeError that says Node cannot", async () => {
    await expect(startServer(echoLine, { port: 0, family: 5 as never })).rejects.toThrow(
      "Cannot start a server: family should be 0, 4 or 6, got 5",
    );
    await expect(startServer(echoLine, { port: 0, flags: 1 } as never)).rejects.toThrow(
      'unknown option "flags"; Node cannot pass getaddrinfo() flags',
    );
    await expect(startServer(echoLine, { port: 0, proto: 6 } as never)).rejects.toThrow(
      'unknown option "proto"; Node cannot choose the socket protocol',
    );
  });

  it("startServer({ socket }) serves on an already listening net.Server (pre-fork, inherited sockets)", async () => {
    const inherited = createServer();
    await new Promise<void>((resolve) => inherited.listen({ host: HOST, port: 0 }, resolve));
    const { port } = inherited.address() as { port: number };
    const server = await startServer(echoLine, { socket: inherited });
    onTestFinished(async () => {
      server.close();
      await server.waitClosed();
      inherited.close();
    });
    expect(server.addresses()).toEqual([{ address: HOST, family: "IPv4", port }]);
    expect(await roundTrip(port, "adopted\n")).toBe("adopted\n");
  });

  it("startServer({ fd: 3 }) in a child serves on the listening descriptor its parent passed (systemd, pre-fork)", {
    timeout: 30_000,
  }, async () => {
    const inherited = createServer();
    await new Promise<void>((resolve) => inherited.listen({ host: HOST, port: 0 }, resolve));
    const { port } = inherited.address() as { port: number };
    const fd = (inherited as unknown as { _handle: { fd: number } })._handle.fd;
    const server = spawnSourceChild("_adopt-fd-child.mjs", [], { passFds: [fd] });
    // The child holds its own copy now; closing ours leaves it the only process accepting there.
    await new Promise<void>((resolve) => inherited.close(() => resolve()));
    expect((await server.next("addresses")).addresses).toEqual([{ address: HOST, family: "IPv4", port }]);
    expect(await roundTrip(port, "adopted\n")).toBe(`child ${server.pid}: adopted\n`);
    expect(await server.stop()).toBe(0);
  });

  it("an adopted socket or fd with host or port, both at once, or a bad fd, is refused", async () => {
    const inherited = createServer();
    await expect(startServer(echoLine, { socket: inherited, port: 80 })).rejects.toThrow(
      "Cannot start a server: port and an adopted socket can not be specified at the same time",
    );
    await expect(startServer(echoLine, { socket: inherited, fd: 3 })).rejects.toThrow("pass socket or fd, not both");
    await expect(startServer(echoLine, { fd: -1 })).rejects.toThrow(RangeError);
    await expect(startServer(echoLine, { fd: 2.5 })).rejects.toThrow(
      "Cannot start a server: fd should be a non-negative integer (a listening descriptor), got 2.5",
    );
  });

  it("startUnixServer({ socket }) and openUnixConnection({ socket }) adopt Unix sockets", async () => {
    const path = tempDir().path("adopt.sock");
    const inherited = createServer();
    await new Promise<void>((resolve) => inherited.listen(path, resolve));
    const server = await startUnixServer(echoLine, { socket: inherited });
    onTestFinished(async () => {
      server.close();
      await server.waitClosed();
      inherited.close();
    });
    const raw: Socket = connect(path);
    await new Promise<void>((resolve, reject) => raw.once("connect", resolve).once("error", reject));
    const { reader, writer } = await openUnixConnection({ socket: raw });
    closeAtEnd(writer);
    writer.write(bytes("unix\n"));
    expect(text(await within(reader.readLine()))).toBe("unix\n");
    await expect(openUnixConnection({ socket: raw, path })).rejects.toThrow(
      "path and socket can not be specified at the same time",
    );
  });

  // Found by folding the two Unix server set-ups: the adopted one dropped maxConnections silently.
  it("startUnixServer({ socket, maxConnections }) keeps the limit on the adopted socket", async () => {
    const path = tempDir().path("adopt-limit.sock");
    const inherited = createServer();
    await new Promise<void>((resolve) => inherited.listen(path, resolve));
    const echoUntilEof = async (reader: StreamReader, writer: StreamWriter): Promise<void> => {
      for (let line = await reader.readLine(); line.length > 0; line = await reader.readLine()) writer.write(line);
      writer.close();
    };
    const server = await startUnixServer(echoUntilEof, { socket: inherited, maxConnections: 1 });
    onTestFinished(async () => {
      server.close();
      await server.waitClosed();
      inherited.close();
    });
    const first = await openUnixConnection({ path });
    closeAtEnd(first.writer);
    first.writer.write(bytes("one\n")); // served, and held open: the one connection the limit allows
    expect(text(await within(first.reader.readLine()))).toBe("one\n");
    const second = await openUnixConnection({ path });
    closeAtEnd(second.writer);
    expect(await within(second.reader.read())).toEqual(new Uint8Array(0)); // closed before onClient
  });
});

describe("startServing: false", () => {
  it("a connection accepted before startServing() is neither read from nor written to until then, then served whole", async () => {
    const inherited = createServer();
    await new Promise<void>((resolve) => inherited.listen({ host: HOST, port: 0 }, resolve));
    const { port } = inherited.address() as { port: number };
    const held: Socket[] = [];
    // An adopted net.Server: a listener of our own sees the raw socket the server holds back.
    inherited.on("connection", (socket: Socket) => held.push(socket));
    const server = await startServer(echoLine, { socket: inherited, startServing: false });
    onTestFinished(async () => {
      server.close();
      await server.waitClosed();
      inherited.close();
    });
    const waiting = roundTrip(port, "held\n");
    await until(() => held.length === 1);
    await sleep(50); // time for a read the server should not make
    expect({ read: held[0]!.bytesRead, written: held[0]!.bytesWritten }).toEqual({ read: 0, written: 0 });
    await server.startServing();
    expect(await within(waiting)).toBe("held\n");
  });

  it("a server closed before serving resets the connections it accepted and held (the peer reads ECONNRESET)", async () => {
    const server = await startServer(echoLine, { host: HOST, port: 0, startServing: false });
    const held = connect({ host: HOST, port: portOf(server) });
    const outcome = new Promise<string>((resolve) => {
      held.on("error", (error: NodeJS.ErrnoException) => resolve(String(error.code)));
      held.on("end", () => resolve("EOF"));
    });
    held.resume();
    await new Promise<void>((resolve) => held.once("connect", resolve));
    await sleep(50); // accepted and held by the server
    server.close();
    await within(server.waitClosed());
    expect(await within(outcome)).toBe("ECONNRESET");
    held.destroy();
  });

  it("a connection reset while the server is not serving yet hurts nothing, and the next one is served whole", async () => {
    const server = await startServer(echoLine, { host: HOST, port: 0, startServing: false });
    closeServerAtEnd(server);
    const early = connect({ host: HOST, port: portOf(server) });
    await new Promise<void>((resolve) => early.once("connect", resolve));
    early.write("lost\n");
    early.resetAndDestroy();
    const waiting = roundTrip(portOf(server), "kept\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.startServing();
    expect(await within(waiting)).toBe("kept\n");
  });
});
