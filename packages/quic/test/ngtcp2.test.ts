import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import type { QuicConnection } from "@asyncstreams/quic";
import { fixture, fixturePath, HOST, within } from "./_helpers.js";
import { CONTROL_STREAM, frame, FRAME_DATA, readFrames, requestHeaders, RESPONSE_200, statusOf } from "./_http3.js";

/** ngtcp2's example HTTP/3 server and client (GnuTLS), from Debian's ngtcp2-server and ngtcp2-client. */
function which(name: string): string | undefined {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"]) {
    if (spawnSync("test", ["-x", join(dir, name)]).status === 0) return join(dir, name);
  }
  return undefined;
}
const gtlsserver = which("gtlsserver");
const gtlsclient = which("gtlsclient");
if (gtlsserver === undefined || gtlsclient === undefined) {
  console.warn(
    "warning: QUIC ngtcp2 interop tests skipped (2): gtlsserver/gtlsclient not installed (apt-get install ngtcp2-server ngtcp2-client)",
  );
}

const ALPN_H3 = ["h3"];
const BODY_SIZE = 256 * 1024;
const body = Uint8Array.from({ length: BODY_SIZE }, (_, i) => (i * 2654435761) >>> 24);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "asyncstreams-quic-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A UDP port that was free a moment ago (ngtcp2's server cannot report one it picked). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function run(
  binary: string,
  args: string[],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output = (output + chunk).slice(-4000)));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output = (output + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return { child, output: () => output, exited };
}

/** Retries the handshake while the freshly started server binds its port. */
async function connectWhenUp(port: number): Promise<QuicConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openQuicConnection({
        host: HOST,
        port,
        tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN_H3 },
        handshakeTimeout: 3_000,
      });
    } catch (error) {
      if (attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

describe.skipIf(gtlsserver === undefined || gtlsclient === undefined)(
  "interop: the package (Node, @matrixai/quic) <-> ngtcp2 (C, GnuTLS) over HTTP/3",
  () => {
    it("GETs a 256 KiB file from ngtcp2's gtlsserver, byte-exact, surviving the server's streams in its first flight", async () => {
      const htdocs = tempDir();
      writeFileSync(join(htdocs, "file.bin"), body);
      const port = await freeUdpPort();
      const server = run(gtlsserver!, [
        "--quiet",
        "-d",
        htdocs,
        HOST,
        String(port),
        fixturePath("server-key.pem"),
        fixturePath("server.pem"),
      ]);
      const conn = await within(connectWhenUp(port), 60_000, `gtlsserver to answer: ${server.output()}`);
      try {
        expect(conn.getExtraInfo("alpnProtocol")).toBe("h3");
        // The server's control and QPACK streams (opened with its first flight): read and drop.
        void (async () => {
          for await (const { reader } of conn.incomingStreams) void reader.read().catch(() => undefined);
        })();
        const control = await conn.openStream({ unidirectional: true });
        control.writer.write(CONTROL_STREAM); // never closed: closing a control stream is a connection error
        const request = await conn.openStream({ limit: 1 << 20 });
        request.writer.write(requestHeaders(`localhost:${port}`, "/file.bin"));
        request.writer.writeEof();
        const { headers, data } = await within(readFrames(request.reader), 180_000, "the HTTP/3 response");
        expect(headers.length).toBeGreaterThan(0);
        expect(statusOf(headers[0]!) ?? new TextDecoder().decode(headers[0])).toMatch(/200/);
        expect(data.length).toBe(BODY_SIZE);
        expect(data).toEqual(body);
      } finally {
        conn.close({ code: 0x100n, reason: "" }); // H3_NO_ERROR
        await within(conn.closed, 15_000, "the connection to close");
      }
    }, 240_000);

    it("serves a 256 KiB file to ngtcp2's gtlsclient from a tiny HTTP/3 responder on startQuicServer, byte-exact", async () => {
      await using server = await startQuicServer(null, {
        host: HOST,
        port: 0,
        tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN_H3 },
        onConnection: async (connection) => {
          const control = await connection.openStream({ unidirectional: true });
          control.writer.write(CONTROL_STREAM);
          for await (const { reader, writer } of connection.incomingStreams) {
            if (!writer.canWriteEof()) {
              void reader.read().catch(() => undefined); // the client's control and QPACK streams
              continue;
            }
            void (async () => {
              await readFrames(reader); // the request, up to its FIN
              writer.write(RESPONSE_200);
              writer.write(frame(FRAME_DATA, body));
              writer.close();
            })().catch(() => undefined);
          }
        },
      });
      const port = server.addresses()[0]!.port;
      const downloads = tempDir();
      const client = run(gtlsclient!, [
        "--quiet",
        "--download",
        downloads,
        "--exit-on-all-streams-close",
        HOST,
        String(port),
        `https://localhost:${port}/file.bin`,
      ]);
      const code = await within(client.exited, 180_000, "gtlsclient to finish");
      // gtlsclient exits 0 even when it got nothing: the bytes decide.
      let got: Uint8Array = new Uint8Array(0);
      try {
        got = new Uint8Array(readFileSync(join(downloads, "file.bin")));
      } catch {
        // compared below
      }
      expect(got.length, `gtlsclient (exit ${String(code)}) saved ${got.length} bytes: ${client.output()}`).toBe(
        BODY_SIZE,
      );
      expect(got).toEqual(body);
      server.abortClients();
    }, 240_000);

    it("without the adapter's fix, a bare @matrixai/quic 2.0.9 server dies when gtlsclient opens its HTTP/3 streams with the handshake", async () => {
      // The bug the adapter works around (src/_defer-early-streams.ts), shown on the stack itself, in
      // a child process so that only the child dies. The test above is the same client against the
      // package's server, which survives and serves the file.
      const child = run(process.execPath, [fixturePath("../_matrixai-unpatched-server.mjs")]);
      const first = await within(
        new Promise<string>((resolve) => {
          let seen = "";
          child.child.stdout!.on("data", (chunk: string) => {
            seen += chunk;
            if (seen.includes("\n")) resolve(seen.split("\n")[0]!);
          });
        }),
        30_000,
        "the unpatched server's port",
      );
      const { port } = JSON.parse(first) as { port: number };
      const client = run(gtlsclient!, [
        "--quiet",
        "--exit-on-all-streams-close",
        "--timeout=5s",
        HOST,
        String(port),
        `https://localhost:${port}/file.bin`,
      ]);
      const code = await within(child.exited, 60_000, "the unpatched server to die");
      expect(code, child.output()).not.toBe(0);
      expect(child.output()).toMatch(/InvalidStreamState/);
      client.child.kill("SIGKILL");
    }, 120_000);
  },
);
