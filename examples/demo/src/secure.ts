import { readFileSync } from "node:fs";
import { openConnection, startServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import * as tls from "@asyncstreams/tls";
import { serveKeyValue } from "./kv-server.js";

/** Where the demo prints: `console.log` or a test's collector. */
export type Log = (...parts: unknown[]) => void;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const show = (bytes: Uint8Array): string => JSON.stringify(decoder.decode(bytes));
const certificate = (name: string): string => readFileSync(new URL(`../certs/${name}`, import.meta.url), "utf8");

/** The demo's certificates: a throwaway CA and a `localhost` server certificate it signed. */
const ca = certificate("ca.pem");
const serverTls = { key: certificate("server-key.pem"), cert: certificate("server.pem") };

function portOf(server: Server): number {
  const [address] = server.addresses();
  if (address === undefined || typeof address === "string") throw new Error("The demo server has no TCP address");
  return address.port;
}

/**
 * The same key-value server over TLS: only the import changes (`@asyncstreams/tls` instead of
 * `@asyncstreams/net`), plus `tls` options. The certificate is verified against the demo CA.
 */
export async function tlsExchange(store: Map<string, Uint8Array>, log: Log = console.log): Promise<void> {
  const server = await tls.startServer((reader, writer) => serveKeyValue(reader, writer, store), {
    host: "127.0.0.1",
    port: 0,
    tls: serverTls,
  });
  const { reader, writer } = await tls.openConnection({ host: "localhost", port: portOf(server), tls: { ca } });
  log(
    `TLS: connected with ${String(writer.getExtraInfo("protocol"))}, certificate for ${JSON.stringify(subjectOf(writer.getExtraInfo("peercert")))}`,
  );
  writer.write(encoder.encode("GET missing\n"));
  log("TLS: GET missing  ->", show(await reader.readLine()));
  writer.write(encoder.encode("QUIT\n"));
  await reader.read();
  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
}

/**
 * STARTTLS: a plain connection that upgrades in place, as SMTP, IMAP or PostgreSQL do. The server
 * answers `STARTTLS\n` with `+GO\n` and both sides call `writer.startTls()`; the same reader and
 * writer carry on over TLS. Bytes that arrived before the upgrade go to TLS, never to the reader.
 */
export async function startTlsExchange(store: Map<string, Uint8Array>, log: Log = console.log): Promise<void> {
  const server = await startServer(
    async (reader, writer) => {
      const command = decoder.decode(await reader.readLine());
      if (command !== "STARTTLS\n") {
        writer.close();
        return;
      }
      writer.write(encoder.encode("+GO\n"));
      await writer.startTls(serverTls);
      await serveKeyValue(reader, writer, store);
    },
    { host: "127.0.0.1", port: 0 },
  );
  const { reader, writer } = await openConnection({ host: "127.0.0.1", port: portOf(server) });
  writer.write(encoder.encode("STARTTLS\n"));
  log(
    "STARTTLS: plain answer  ->",
    show(await reader.readLine()),
    "| TLS in use:",
    writer.getExtraInfo("sslcontext") !== undefined,
  );
  await writer.startTls({ ca, serverName: "localhost" });
  log(
    `STARTTLS: upgraded in place to ${String(writer.getExtraInfo("protocol"))} | TLS in use:`,
    writer.getExtraInfo("sslcontext") !== undefined,
  );
  writer.write(encoder.encode("GET missing\n"));
  log("STARTTLS: GET missing over TLS  ->", show(await reader.readLine()));
  writer.write(encoder.encode("QUIT\n"));
  await reader.read();
  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
}

function subjectOf(peercert: unknown): unknown {
  return (peercert as { subject?: { CN?: unknown } } | undefined)?.subject?.CN;
}
