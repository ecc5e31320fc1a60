import { spawn } from "node:child_process";
import { once } from "node:events";
import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it, onTestFinished } from "vitest";
import { DuplexTransport, openDuplexStreams } from "@asyncstreams/net";
import { ConnectionResetError, createStreams } from "@asyncstreams/protocol";
import type { Protocol, Transport } from "@asyncstreams/protocol";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { InvalidStateError } from "@asyncstreams/reader";
import { bytes, concat, runBriefly, text, until, within } from "@asyncstreams/test-utils";
import { catPairs, duplexPair, passThroughPairs, reap, spawnCat, tcpSocketPair } from "./_pairs.js";

const capable = { halfClose: true, pauseReading: true, writeBufferLimits: true };

/** Records every callback, in order. */
class Recording implements Protocol {
  readonly events: string[] = [];
  readonly chunks: Uint8Array[] = [];
  readonly lostWith: unknown[] = [];
  keepOpenOnEof = true;
  connectionMade(_transport: Transport): void {
    this.events.push("made");
  }
  dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
    this.events.push(`data ${text(data)}`);
  }
  eofReceived(): boolean {
    this.events.push("eof");
    return this.keepOpenOnEof;
  }
  connectionLost(error: unknown): void {
    this.lostWith.push(error);
    this.events.push("lost");
  }
  pauseWriting(): void {
    this.events.push("pause");
  }
  resumeWriting(): void {
    this.events.push("resume");
  }
}

function attach(transport: Transport): Recording {
  const protocol = new Recording();
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return protocol;
}

describe("DuplexTransport", () => {
  describe("conformance over crossed PassThrough streams ({ readable, writable } pairs)", () => {
    const cases = transportConformance(() => {
      const [left, right] = passThroughPairs();
      return { transports: [new DuplexTransport(left), new DuplexTransport(right)] };
    }, capable);
    for (const c of cases) it(c.name, c.run);
  });

  describe("conformance over an in-process socket-like Duplex pair", () => {
    const cases = transportConformance(
      () => {
        const [left, right] = duplexPair();
        return { transports: [new DuplexTransport(left), new DuplexTransport(right)] };
      },
      { ...capable, abortResets: false },
    ); // destroying one end of Node's duplexPair() ends the other cleanly: there is no reset to send
    for (const c of cases) it(c.name, c.run);
  });

  describe("conformance over a loopback TCP connection (net.Socket as a Duplex)", () => {
    const cases = transportConformance(async () => {
      const { sockets, close } = await tcpSocketPair();
      return { transports: [new DuplexTransport(sockets[0]), new DuplexTransport(sockets[1])], close };
    }, capable);
    for (const c of cases) it(c.name, c.run);
  });

  describe("conformance over two cat child processes (stdin and stdout pipes)", () => {
    const cases = transportConformance(
      () => {
        const { pairs, close } = catPairs();
        return { transports: [new DuplexTransport(pairs[0]), new DuplexTransport(pairs[1])], close };
      },
      { ...capable, timeout: 10_000, settle: 50, abortResets: false },
    ); // a pipe has no reset: the peer of an abort() reads EOF
    for (const c of cases) it(c.name, c.run);
  });

  describe("with a real child process", () => {
    it("echoes lines through cat, reads EOF after writeEof(), and the child exits cleanly", async () => {
      const child = spawnCat();
      onTestFinished(() => reap(child));
      const exited = once(child, "exit");
      const { reader, writer } = openDuplexStreams({ readable: child.stdout, writable: child.stdin });
      for (const line of ["hello\n", "wörld\n", "\n"]) {
        writer.write(bytes(line));
        await writer.drain();
        expect(text(await within(reader.readLine()))).toBe(line);
      }
      writer.writeEof();
      expect(await within(reader.read())).toEqual(new Uint8Array(0));
      expect((await within(exited))[0]).toBe(0);
      writer.close();
      await within(writer.waitClosed());
    });

    it("talks to a node -e child that answers each line, and sees its exit as EOF", async () => {
      const script = `
        const rl = require("node:readline").createInterface({ input: process.stdin });
        rl.on("line", (line) => process.stdout.write(line === "quit" ? "bye\\n" : line.toUpperCase() + "\\n"));
        rl.on("line", (line) => { if (line === "quit") process.stdin.destroy(); });
      `;
      const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
      onTestFinished(() => reap(child));
      const { reader, writer } = openDuplexStreams({ readable: child.stdout, writable: child.stdin }, { limit: 1024 });
      writer.write(bytes("ping\n"));
      expect(text(await within(reader.readLine()))).toBe("PING\n");
      writer.writeLines([bytes("a"), bytes("b\n"), bytes("quit\n")]);
      expect(text(await within(reader.readLine()))).toBe("AB\n");
      expect(text(await within(reader.readLine()))).toBe("bye\n");
      expect(await within(reader.read())).toEqual(new Uint8Array(0)); // the child exited
      writer.close();
      await within(writer.waitClosed());
    });

    it("streams 4 MiB through cat with back-pressure both ways and gets every byte back", async () => {
      const child = spawnCat();
      onTestFinished(() => reap(child));
      const { reader, writer } = openDuplexStreams(
        { readable: child.stdout, writable: child.stdin },
        { limit: 4096, writeBufferLimits: { high: 16_384 } },
      );
      const sent = new Uint8Array(4 * 1024 * 1024).map((_, index) => (index * 31 + (index >> 12)) & 0xff);
      let paused = false;
      const writing = (async () => {
        for (let offset = 0; offset < sent.length; offset += 8192) {
          writer.write(sent.subarray(offset, offset + 8192));
          if ((writer.transport as DuplexTransport).getWriteBufferSize() > 16_384) paused = true;
          await writer.drain();
        }
        writer.writeEof();
      })();
      writing.catch(() => undefined); // awaited below; never unhandled if an assertion fails first
      await until(() => child.stdout.isPaused(), 5_000, "the reader to pause cat's stdout"); // the reader is full
      const received = await within(reader.readExactly(sent.length), 20_000, "4 MiB back from cat");
      await within(writing);
      expect(paused).toBe(true);
      expect(Buffer.compare(received, sent)).toBe(0); // toEqual() on 4 MiB would compare element by element, slowly
      expect(await within(reader.read())).toEqual(new Uint8Array(0));
      writer.close();
      await within(writer.waitClosed());
    });

    it("reports a child that exits while we write as a failed connection, not a crash", async () => {
      const child = spawn(process.execPath, ["-e", "process.stdin.once('data', () => process.exit(3))"], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      onTestFinished(() => reap(child));
      const { reader, writer } = openDuplexStreams({ readable: child.stdout, writable: child.stdin });
      writer.write(bytes("go\n"));
      await within(once(child, "exit"));
      expect(await within(reader.read())).toEqual(new Uint8Array(0)); // its stdout ended
      const error = await within(
        (async () => {
          for (;;) {
            writer.write(new Uint8Array(65_536));
            await writer.drain();
          }
        })().catch((failure: unknown) => failure),
        5_000,
        "a write-and-drain loop against a dead child to fail",
      );
      expect(error).toBeInstanceOf(ConnectionResetError);
      expect(error).toMatchObject({ code: "ECONNRESET", systemCode: "EPIPE" });
      writer.close();
      await within(writer.waitClosed().catch(() => undefined));
    });
  });

  describe("reading", () => {
    it("keeps data that arrived before the protocol was set, and delivers it after connectionMade()", async () => {
      const [left, right] = passThroughPairs();
      left.writable.write(bytes("early"));
      await runBriefly();
      const transport = new DuplexTransport(right);
      await runBriefly();
      const protocol = attach(transport);
      await runBriefly();
      expect(protocol.events).toEqual(["made", "data early"]);
      transport.abort();
      await runBriefly();
    });

    it("hands each chunk over as a plain Uint8Array view of Node's Buffer, without a copy", async () => {
      const [left, right] = passThroughPairs();
      const transport = new DuplexTransport(right);
      const protocol = attach(transport);
      const sent = Buffer.from("view");
      left.writable.write(sent);
      await runBriefly();
      expect(protocol.chunks[0]!.constructor).toBe(Uint8Array);
      expect(protocol.chunks[0]!.buffer).toBe(sent.buffer);
      transport.abort();
      await runBriefly();
    });

    it("pauseReading() pauses the readable and resumeReading() resumes it", async () => {
      const [left, right] = passThroughPairs();
      const transport = new DuplexTransport(right);
      const protocol = attach(transport);
      transport.pauseReading();
      expect(right.readable.isPaused()).toBe(true);
      left.writable.write(bytes("held"));
      await runBriefly();
      expect(protocol.chunks).toEqual([]);
      transport.resumeReading();
      await runBriefly();
      expect(protocol.events).toEqual(["made", "data held"]);
      transport.abort();
      await runBriefly();
    });

    it("fails the connection with a TypeError when the readable yields strings", async () => {
      const [left, right] = passThroughPairs();
      right.readable.setEncoding("utf8");
      const protocol = attach(new DuplexTransport(right));
      left.writable.write(bytes("text"));
      await runBriefly();
      expect(protocol.lostWith).toHaveLength(1);
      expect((protocol.lostWith[0] as Error).message).toBe(
        "Cannot receive: a chunk must be a Uint8Array, not a string (an encoding is set on the readable)",
      );
    });

    it("an 'error' of the readable with a reset code becomes connectionLost(ConnectionResetError) with Node's error as cause", async () => {
      const [, right] = passThroughPairs();
      const protocol = attach(new DuplexTransport(right));
      const failure = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read" });
      right.readable.destroy(failure);
      await runBriefly();
      expect(protocol.lostWith).toHaveLength(1);
      const error = protocol.lostWith[0] as ConnectionResetError;
      expect(error).toBeInstanceOf(ConnectionResetError);
      expect(error).toMatchObject({ code: "ECONNRESET", systemCode: "ECONNRESET", syscall: "read" });
      expect(error.cause).toBe(failure);
      expect(right.writable.destroyed).toBe(true);
    });

    it("a readable that closes without 'end' fails the connection with ConnectionResetError", async () => {
      const [, right] = passThroughPairs();
      const protocol = attach(new DuplexTransport(right));
      right.readable.destroy();
      await runBriefly();
      expect(protocol.lostWith).toHaveLength(1);
      expect(protocol.lostWith[0]).toBeInstanceOf(ConnectionResetError);
    });

    it("sets allowHalfOpen on a Duplex, so that the write side outlives the peer's EOF", async () => {
      const [left, right] = duplexPair();
      left.allowHalfOpen = false;
      const transport = new DuplexTransport(left);
      expect(left.allowHalfOpen).toBe(true);
      const protocol = attach(transport);
      right.end();
      await runBriefly();
      expect(protocol.events).toEqual(["made", "eof"]);
      transport.write(bytes("after EOF"));
      const received: Buffer[] = [];
      right.on("data", (chunk: Buffer) => received.push(chunk));
      await runBriefly();
      expect(Buffer.concat(received).toString()).toBe("after EOF");
      transport.close();
      right.destroy();
      await runBriefly();
      expect(protocol.lostWith).toEqual([undefined]);
    });

    it("a Duplex ended both ways reports connectionLost(undefined) once Node closes it", async () => {
      const [left, right] = duplexPair();
      const transport = new DuplexTransport(left);
      const protocol = attach(transport);
      right.resume();
      right.end();
      transport.writeEof();
      await until(() => protocol.lostWith.length > 0, 2_000, "connectionLost() after both ends ended");
      expect(protocol.events).toEqual(["made", "eof", "lost"]);
      expect(protocol.lostWith).toEqual([undefined]);
      right.destroy();
    });
  });

  describe("writing", () => {
    it("pauseWriting() above the high-water mark of writableLength, resumeWriting() at the low one", async () => {
      let release: (() => void) | undefined;
      const writable = new Writable({
        highWaterMark: 1,
        write(_chunk, _encoding, callback) {
          release = () => callback();
        },
      });
      const transport = new DuplexTransport(
        { readable: new PassThrough(), writable },
        { writeBufferLimits: { high: 100, low: 10 } },
      );
      const protocol = attach(transport);
      transport.write(new Uint8Array(60));
      transport.write(new Uint8Array(40));
      expect(transport.getWriteBufferSize()).toBe(100);
      expect(protocol.events).toEqual(["made"]);
      transport.write(new Uint8Array(5));
      expect(protocol.events).toEqual(["made", "pause"]);
      for (let step = 0; step < 3; step++) {
        release?.();
        await runBriefly();
      }
      expect(transport.getWriteBufferSize()).toBe(0);
      expect(protocol.events).toEqual(["made", "pause", "resume"]);
      transport.abort();
      await runBriefly();
    });

    it("write() after writeEof() throws InvalidStateError; writeEof() ends the writable", async () => {
      const [left, right] = passThroughPairs();
      const transport = new DuplexTransport(left);
      attach(transport);
      transport.writeEof();
      expect(right.readable.readableEnded || left.writable.writableEnded).toBe(true);
      expect(() => transport.write(bytes("x"))).toThrow(InvalidStateError);
      transport.abort();
      await runBriefly();
    });

    it("a write to a writable destroyed under the transport fails the connection with ConnectionResetError (EPIPE)", async () => {
      const [left] = passThroughPairs();
      const transport = new DuplexTransport(left);
      const protocol = attach(transport);
      left.writable.destroy();
      transport.write(bytes("lost"));
      expect(transport.isClosing()).toBe(true);
      await runBriefly();
      expect(protocol.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      expect(protocol.lostWith[0]).toMatchObject({ code: "ECONNRESET", systemCode: "EPIPE" });
    });

    it("writeLines() corks the writable, so the chunks leave as one gathering write", async () => {
      const sizes: number[] = [];
      const writable = new Writable({
        writev(chunks, callback) {
          sizes.push(chunks.length);
          callback();
        },
      });
      const transport = new DuplexTransport({ readable: new PassThrough(), writable });
      attach(transport);
      transport.writeLines([bytes("a"), bytes("b"), bytes("c")]);
      await runBriefly();
      expect(sizes).toEqual([3]);
      transport.abort();
      await runBriefly();
    });
  });

  describe("close and abort", () => {
    it("close() on a pair flushes, calls connectionLost(undefined), ends the writable and destroys the readable", async () => {
      const [left, right] = passThroughPairs();
      const transport = new DuplexTransport(left);
      const protocol = attach(transport);
      transport.write(bytes("last words"));
      transport.close();
      const received: Buffer[] = [];
      right.readable.on("data", (chunk: Buffer) => received.push(chunk));
      await once(right.readable, "end");
      expect(Buffer.concat(received).toString()).toBe("last words");
      await runBriefly();
      expect(protocol.lostWith).toEqual([undefined]);
      expect(left.readable.destroyed).toBe(true);
      expect(left.writable.writableFinished).toBe(true);
    });

    it("abort() destroys both streams and calls connectionLost(undefined)", async () => {
      const [left] = passThroughPairs();
      const transport = new DuplexTransport(left);
      const protocol = attach(transport);
      transport.write(bytes("dropped"));
      transport.abort();
      expect(left.readable.destroyed && left.writable.destroyed).toBe(true);
      await runBriefly();
      expect(protocol.lostWith).toEqual([undefined]);
    });

    it("getExtraInfo('pipe') is the stream or pair given, and toString() says whether it is closing", () => {
      const [left] = passThroughPairs();
      const transport = new DuplexTransport(left, { extraInfo: { peername: "child" } });
      expect(transport.getExtraInfo("pipe")).toBe(left);
      expect(transport.getExtraInfo("peername")).toBe("child");
      expect(String(transport)).toBe("<DuplexTransport>");
      transport.abort();
      expect(String(transport)).toBe("<DuplexTransport closing>");
    });
  });

  it("createStreams() over a Readable.from() source reads it to the end", async () => {
    const source = Readable.from([bytes("line 1\n"), bytes("line 2\n")], { objectMode: false });
    const sink = new PassThrough();
    const { reader, writer } = createStreams(new DuplexTransport({ readable: source, writable: sink }));
    const lines: string[] = [];
    for await (const line of reader) lines.push(text(line));
    expect(lines).toEqual(["line 1\n", "line 2\n"]);
    writer.close();
    await within(writer.waitClosed());
    expect(concat([])).toEqual(new Uint8Array(0));
  });
});
