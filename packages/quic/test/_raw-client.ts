import { onTestFinished } from "vitest";
import { matrixaiStack } from "../src/_matrixai-stack.js";
import type { StackConnection } from "../src/_stack.js";
import { ALPN, fixture, HOST, within } from "./_helpers.js";

/**
 * A bare Node-stack connection to `port`, closed when the test ends: it sends what the public API
 * refuses (any reset code), or backs a `QuicConnection` built past the public checks.
 */
export async function rawClient(port: number): Promise<StackConnection> {
  const conn = await matrixaiStack.connect({
    host: HOST,
    port,
    serverName: "localhost",
    ca: [fixture("ca.pem")],
    verify: true,
    signal: AbortSignal.timeout(10_000),
    alpnProtocols: ALPN,
    idleTimeout: 30_000,
    keepAliveInterval: 10_000,
    maxStreams: 100,
  });
  onTestFinished(async () => {
    await within(conn.close(0n, ""), 20_000, "the raw connection to close");
  });
  return conn;
}
