import { describe, expect, it } from "vitest";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { fixture, HOST, within } from "./_helpers.js";
import { findDeno, nextJson, startDeno } from "./_deno.js";
import { payload } from "./deno/_payload.js";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";

const deno = findDeno();
const INTEROP_ALPN = ["asyncstreams-interop"];
if ("missing" in deno) console.warn(`warning: QUIC Deno tests skipped: ${deno.missing}`);
const binary = "binary" in deno ? deno.binary : "";

/** The kit's case names, the same on every runtime for the same options (deno/conformance.ts). */
const names = transportConformance(() => ({ transports: [] as never }), {
  halfClose: true,
  pauseReading: true,
  writeBufferLimits: true,
  abortResets: false,
}).map((c) => c.name);

describe.skipIf("missing" in deno)("@asyncstreams/quic on Deno (its own QUIC: quinn + rustls)", () => {
  let results: Promise<Map<string, { ok: boolean; error?: string }>> | undefined;
  const conformance = (): Promise<Map<string, { ok: boolean; error?: string }>> =>
    (results ??= (async () => {
      const peer = startDeno(binary, "conformance.ts");
      const map = new Map<string, { ok: boolean; error?: string }>();
      for (;;) {
        const next = await peer.lines.next();
        if (next.done === true) break;
        const row = JSON.parse(next.value) as { name: string; ok: boolean; error?: string };
        map.set(row.name, row);
      }
      if (map.size === 0) throw new Error(`the Deno conformance run printed nothing: ${peer.stderr()}`);
      return map;
    })());

  for (const name of names) {
    it(`conformance: ${name}`, async () => {
      const row = (await within(conformance(), 240_000, "the Deno conformance run")).get(name);
      expect(row, `case not run on Deno: ${name}`).toBeDefined();
      expect(row!.error).toBeUndefined();
      expect(row!.ok).toBe(true);
    }, 300_000);
  }
});

describe.skipIf("missing" in deno)("stream semantics on Deno", () => {
  const checks = [
    "the ALPN protocol is negotiated",
    "writeEof() sends FIN, the server writes back after EOF, and its FIN is EOF",
    "a unidirectional stream we open has a reader at EOF",
    "a peer's unidirectional stream refuses writes",
    "the peer closing the connection ends every open stream with an error naming the close code",
    "drain() after the close rejects with that error",
    "closed says who closed it and with which code",
    "a key and certificate that cannot serve are the TypeError they are on Node",
  ];
  let results: Promise<Map<string, { ok: boolean; detail: string }>> | undefined;
  const run = (): Promise<Map<string, { ok: boolean; detail: string }>> =>
    (results ??= (async () => {
      const peer = startDeno(binary, "semantics.ts");
      const map = new Map<string, { ok: boolean; detail: string }>();
      for (;;) {
        const next = await peer.lines.next();
        if (next.done === true) break;
        const row = JSON.parse(next.value) as { name: string; ok: boolean; detail: string };
        map.set(row.name, row);
      }
      if (map.size === 0) throw new Error(`the Deno semantics run printed nothing: ${peer.stderr()}`);
      return map;
    })());
  for (const name of checks) {
    it(name, async () => {
      const row = (await within(run(), 120_000, "the Deno semantics run")).get(name);
      expect(row, `check not run on Deno: ${name}`).toBeDefined();
      expect(row!.ok, row!.detail).toBe(true);
    }, 180_000);
  }
});

describe.skipIf("missing" in deno)("flow control on Deno", () => {
  it("a client flooding a stream nobody reads is held by QUIC flow control: bounded memory, then every byte arrives", async () => {
    const peer = startDeno(binary, "flood.ts");
    const result = await within(
      nextJson<{ held: boolean; accepted: number; total: number; received: number; serverBuffered: number }>(peer),
      240_000,
      "the flood run",
    );
    expect(result.held, JSON.stringify(result)).toBe(true);
    // Held long before the 256 MiB: what is in flight is QUIC's windows plus the write buffer.
    expect(result.accepted).toBeLessThan(64 * 1024 * 1024);
    // The server's reader holds at most about its limit (64 KiB) plus one chunk: the rest waits in QUIC.
    expect(result.serverBuffered).toBeLessThanOrEqual(2 * 65_536 + 65_536);
    expect(result.received).toBe(result.accepted);
  }, 300_000);
});

describe.skipIf("missing" in deno)("interop: Node (@matrixai/quic, quiche) <-> Deno (quinn)", () => {
  it("the package on Node as client, a Deno QUIC echo server: 4 concurrent streams of lines + binary, FIN both ways, byte-exact", async () => {
    const peer = startDeno(binary, "raw-peer.ts", ["server"]);
    const { port } = await within(nextJson<{ port: number }>(peer), 60_000, "the Deno server's port");
    const conn = await openQuicConnection({
      host: HOST,
      port,
      tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: INTEROP_ALPN },
    });
    try {
      expect(conn.getExtraInfo("alpnProtocol")).toBe(INTEROP_ALPN[0]);
      const echoed = await Promise.all(
        [0, 1, 2, 3].map(async (s) => {
          const { reader, writer } = await conn.openStream();
          const sent = payload(s);
          writer.write(sent.subarray(0, 100));
          const firstLine = await within(reader.readLine(), 60_000, "the first echoed line");
          writer.write(sent.subarray(100));
          writer.writeEof(); // FIN: the Deno server closes its side after echoing everything
          const rest = await within(reader.read(), 120_000, "the echo up to FIN");
          expect(reader.atEof()).toBe(true);
          writer.close();
          return { sent, got: new Uint8Array([...firstLine, ...rest]) };
        }),
      );
      for (const { sent, got } of echoed) expect(got).toEqual(sent);
    } finally {
      conn.close({ code: 0, reason: "done" });
      await within(conn.closed, 15_000, "the connection to close");
      peer.child.stdin!.end();
    }
  }, 240_000);

  it("a Deno QUIC client, the package's startQuicServer on Node: 4 concurrent streams of lines + binary, FIN both ways, byte-exact", async () => {
    await using server = await startQuicServer(
      async (reader, writer) => {
        // Echo lines one by one while they are text, then the rest in chunks, then FIN.
        for (;;) {
          const chunk = await reader.read(8192);
          if (chunk.length === 0) break;
          writer.write(chunk);
          await writer.drain();
        }
        writer.close();
      },
      {
        host: HOST,
        port: 0,
        tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: INTEROP_ALPN },
      },
    );
    const port = server.addresses()[0]!.port;
    const peer = startDeno(binary, "raw-peer.ts", ["client", String(port), "4"]);
    const result = await within(
      nextJson<{ ok: boolean; streams: number; bytes: number }>(peer),
      240_000,
      "the Deno client's result",
    );
    expect(result).toEqual({ ok: true, streams: 4, bytes: [0, 1, 2, 3].reduce((n, s) => n + payload(s).length, 0) });
    server.abortClients();
  }, 300_000);
});
