import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import type {
  OpenQuicConnectionOptions,
  QuicConnection,
  QuicServer,
  QuicStreamCallback,
  StartQuicServerOptions,
} from "@asyncstreams/quic";

/** Tests listen and connect on IPv4 loopback only. */
export const HOST = "127.0.0.1";
export const ALPN = ["asyncstreams-test"];

/** A fixture file (the CA and a leaf it signed for localhost and 127.0.0.1, valid until 2125). */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");
}
export const fixturePath = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (data: Uint8Array): string => decoder.decode(data);

/** Settles like `promise`, or rejects once `ms` have passed: every wait here is bounded. */
export async function within<T>(promise: Promise<T>, ms = 10_000, what = "the operation"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` until it holds; throws after `ms`. */
export async function until(condition: () => boolean, ms = 10_000, what = "a condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A server on 127.0.0.1 port 0 with the test certificate, closed (clients too) when the test ends. */
export async function testServer(
  onStream: QuicStreamCallback | null,
  options: Partial<StartQuicServerOptions> = {},
): Promise<{ server: QuicServer; port: number }> {
  const server = await startQuicServer(onStream, {
    host: HOST,
    port: 0,
    tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
    ...options,
  });
  onTestFinished(async () => {
    server.close();
    server.abortClients();
    await within(server.waitClosed(), 60_000, "the server to close");
  });
  const address = server.addresses()[0];
  if (address === undefined) throw new Error("the server has no address");
  return { server, port: address.port };
}

/** A client connection to `port` that trusts the test CA, closed when the test ends. */
export async function testClient(
  port: number,
  options: Partial<OpenQuicConnectionOptions> = {},
): Promise<QuicConnection> {
  const conn = await openQuicConnection({
    host: HOST,
    port,
    tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
    ...options,
  });
  onTestFinished(async () => {
    conn.close();
    await within(conn.closed, 60_000, "the connection to close");
  });
  return conn;
}
