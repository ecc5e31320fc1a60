import { echoClient } from "./echo-client.js";
import { startEchoServer } from "./echo-server.js";

/** What {@linkcode runEcho} sent and got back. */
export interface EchoRun {
  /** The lines sent. */
  sent: string[];
  /** The lines echoed back. */
  echoes: string[];
  /** Whether the server closed its side after the client's half-close. */
  serverClosed: boolean;
}

/**
 * The whole example: an echo server on 127.0.0.1 (a free port), a client that sends a few lines
 * (one of 100 KiB, past the transport's high-water mark), then a graceful shutdown.
 *
 * @param log Where each line of the transcript goes (`console.log` by default).
 * @returns What was sent and echoed.
 */
export async function runEcho(log: (line: string) => void = console.log): Promise<EchoRun> {
  // Both sides accept lines up to 256 KiB; past that, readLine() throws LimitOverrunError.
  const limit = 256 * 1024;
  const server = await startEchoServer({ limit });
  try {
    const [address] = server.addresses();
    if (address === undefined || typeof address === "string") throw new Error("The echo server has no TCP address");
    log(`echo server on ${address.address}:${address.port}`);

    const sent = ["hello", "asyncio streams, in TypeScript", "x".repeat(100 * 1024), ""];
    const result = await echoClient({
      host: address.address,
      port: address.port,
      lines: sent,
      limit,
      signal: AbortSignal.timeout(10_000),
    });
    for (const [i, echo] of result.echoes.entries()) {
      const shown = echo.length > 40 ? `${echo.slice(0, 10)}... (${echo.length} bytes)` : JSON.stringify(echo);
      log(`sent ${i + 1}, echoed ${shown}, same: ${echo === sent[i]}`);
    }
    log(`half-closed; the server closed too: ${result.serverClosed}`);
    return { sent, ...result };
  } finally {
    server.close();
    await server.waitClosed();
    log("server closed");
  }
}
