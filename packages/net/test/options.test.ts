import { describe, expect, it } from "vitest";
import { openConnection, openUnixConnection, startServer, startUnixServer, toNodeReadable } from "@asyncstreams/net";
import { StreamReader } from "@asyncstreams/reader";
import { supportsReusePort } from "../src/_supports-reuse-port.js";
import { HOST, closeServerAtEnd } from "@asyncstreams/test-utils/node";

const noop = (): void => undefined;

describe("option names on every connector and server", () => {
  it("an unknown option is a TypeError naming it, with the close spelling when there is one", async () => {
    await expect(openConnection({ host: HOST, prot: 80 } as never)).rejects.toThrow(
      new TypeError(
        'Cannot open a connection: unknown option "prot"; the options are host, port, socket, limit, signal, localAddress, localPort, family, keepAlive, keepAliveInitialDelay, noDelay, happyEyeballs, happyEyeballsDelay, interleave, allErrors, writeBufferLimits',
      ),
    );
    await expect(startServer(noop, { host: HOST, port: 0, nodelay: false } as never)).rejects.toThrow(
      'Cannot start a server: unknown option "nodelay"; did you mean "noDelay"?',
    );
    await expect(openUnixConnection({ path: "/tmp/x.sock", limt: 5 } as never)).rejects.toThrow(
      'Cannot open a Unix connection: unknown option "limt"',
    );
    await expect(startUnixServer(noop, { path: "/tmp/x.sock", reuse_port: true } as never)).rejects.toThrow(
      'Cannot start a Unix server: unknown option "reuse_port"',
    );
  });

  it("tls and ssl on the servers point to @asyncstreams/tls instead of serving plaintext", async () => {
    for (const name of ["tls", "ssl"]) {
      await expect(startServer(noop, { host: HOST, port: 0, [name]: {} })).rejects.toThrow(
        `Cannot start a server: unknown option "${name}"; this package never encrypts: for TLS import the same function from @asyncstreams/tls`,
      );
    }
  });

  it("an option set to undefined is the same as leaving it out", async () => {
    const server = await startServer(noop, { host: HOST, port: 0, ssl: undefined } as never);
    closeServerAtEnd(server);
    expect(server.isServing()).toBe(true);
  });
});

describe("number options in the shared message grammar", () => {
  it('a string where a number is meant is a TypeError that quotes it, never "got 3" for "3"', async () => {
    await expect(startServer(noop, { fd: "3" as never })).rejects.toThrow(
      new TypeError('Cannot start a server: fd should be a number, got "3" (string)'),
    );
    await expect(startServer(noop, { port: 0, family: "6" as never })).rejects.toThrow(
      new TypeError('Cannot start a server: family should be a number, got "6" (string)'),
    );
    await expect(openConnection({ host: HOST, port: 9, happyEyeballsDelay: "250" as never })).rejects.toThrow(
      new TypeError('Cannot open a connection: happyEyeballsDelay should be a number, got "250" (string)'),
    );
    await expect(openConnection({ host: HOST, port: 9, interleave: "1" as never })).rejects.toThrow(
      new TypeError(
        'Cannot open a connection: interleave should be a number, got "1" (string); Node\'s Happy Eyeballs alternates address families one address at a time',
      ),
    );
    expect(() => toNodeReadable(new StreamReader(), { chunkSize: "8" as never })).toThrow(
      new TypeError('Cannot make a Readable: chunkSize should be a number, got "8" (string)'),
    );
    const server = await startServer(noop, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    expect(() => server.close({ timeout: "5" as never })).toThrow(
      new TypeError('Cannot close the server: timeout should be a number, got "5" (string)'),
    );
    expect(() => server.close({ timeout: -1 })).toThrow(
      new RangeError(
        "Cannot close the server: timeout should be a number of milliseconds from 0 to 2147483647, got -1",
      ),
    );
  });
});

describe("option values shared by the connectors and servers", () => {
  it("a switch that is not a boolean, a count out of range, a family other than 0, 4 or 6 and an onError that is not a function are refused before any socket", async () => {
    const server = (options: object) => startServer(noop, { host: HOST, port: 0, ...options });
    await expect(server({ backlog: -5 })).rejects.toThrow(
      new RangeError("Cannot start a server: backlog should be a non-negative integer, got -5"),
    );
    await expect(server({ backlog: 1.5 })).rejects.toThrow(RangeError);
    await expect(server({ backlog: "abc" })).rejects.toThrow(
      new TypeError('Cannot start a server: backlog should be a number, got "abc" (string)'),
    );
    await expect(server({ noDelay: "no" })).rejects.toThrow(
      new TypeError('Cannot start a server: noDelay should be true or false, got "no"'),
    );
    await expect(server({ onError: "x" })).rejects.toThrow(
      new TypeError('Cannot start a server: onError should be a function, got "x"'),
    );
    await expect(startUnixServer(noop, { path: "/tmp/never-made.sock", cleanupSocket: 1 as never })).rejects.toThrow(
      new TypeError("Cannot start a Unix server: cleanupSocket should be true or false, got 1 (number)"),
    );
    const connect = (options: object) => openConnection({ host: HOST, port: 9, ...options });
    await expect(connect({ family: 5 })).rejects.toThrow(
      new RangeError("Cannot open a connection: family should be 0, 4 or 6, got 5"),
    );
    await expect(connect({ allErrors: 1 })).rejects.toThrow(
      new TypeError("Cannot open a connection: allErrors should be true or false, got 1 (number)"),
    );
    await expect(connect({ localPort: 1.5 })).rejects.toThrow(
      new RangeError("Cannot open a connection: localPort should be an integer from 0 to 65535, got 1.5"),
    );
    await expect(connect({ keepAliveInitialDelay: -1 })).rejects.toThrow(RangeError);
  });
});

describe("reusePort", () => {
  it("is a clear TypeError on Node versions that would ignore it", async () => {
    const attempt = startServer(noop, { host: HOST, port: 0, reusePort: true });
    if (supportsReusePort(process.versions.node)) {
      const server = await attempt;
      closeServerAtEnd(server);
    } else {
      await expect(attempt).rejects.toThrow(
        /^Cannot start a server: reusePort needs Node 22\.12 or 23\.1 and later, and this is Node 20\./,
      );
    }
  });

  it("is known to work from Node 22.12 and 23.1 on", () => {
    expect(["20.19.0", "22.11.0", "23.0.0"].map(supportsReusePort)).toEqual([false, false, false]);
    expect(["22.12.0", "23.1.0", "24.0.0"].map(supportsReusePort)).toEqual([true, true, true]);
  });
});
