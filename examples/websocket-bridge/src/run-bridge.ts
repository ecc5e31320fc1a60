import { openConnection, startServer } from "@asyncstreams/net";
import { kvSession, runCommands } from "./kv-session.js";
import { openWebSocketConnection } from "@asyncstreams/websocket";
import { startWebSocketServer } from "@asyncstreams/websocket/server";
import WebSocket from "ws";

/** One client's part of {@linkcode runBridge}. */
export interface BridgeSession {
  /** `"tcp"` or `"websocket"`. */
  via: "tcp" | "websocket";
  /** The commands sent. */
  commands: string[];
  /** The replies, in order. */
  replies: string[];
  /** Whether the server closed after `QUIT`. */
  serverClosed: boolean;
}

/**
 * The whole example: one key-value handler served over TCP and over WebSocket on 127.0.0.1 (free
 * ports), sharing one store. A TCP client sets keys; a WebSocket client reads them and sets one
 * more; a second TCP client reads that back. Then both servers shut down gracefully.
 *
 * @param log Where each line of the transcript goes (`console.log` by default).
 * @returns Each client's commands and replies.
 */
export async function runBridge(log: (line: string) => void = console.log): Promise<BridgeSession[]> {
  const handler = kvSession(new Map()); // one function, one store, two transports
  const tcp = await startServer(handler, { host: "127.0.0.1", port: 0 });
  const ws = await startWebSocketServer(handler, { host: "127.0.0.1", port: 0 });
  const sessions: BridgeSession[] = [];
  const signal = AbortSignal.timeout(10_000);
  try {
    const [address] = tcp.addresses();
    const [wsAddress] = ws.addresses();
    if (
      address === undefined ||
      typeof address === "string" ||
      wsAddress === undefined ||
      typeof wsAddress === "string"
    )
      throw new Error("A server has no TCP address");
    const url = `ws://${wsAddress.address}:${wsAddress.port}/`;
    log(`tcp server on ${address.address}:${address.port}`);
    log(`websocket server on ${url}`);

    const run = async (via: BridgeSession["via"], commands: string[]): Promise<void> => {
      const { reader, writer } =
        via === "tcp"
          ? await openConnection({ host: address.address, port: address.port, signal })
          : await openWebSocketConnection(url, { signal, WebSocket }); // ws's WebSocket: Node 20 has no global one
      const result = await runCommands(reader, writer, commands, signal);
      for (const [i, command] of commands.entries()) {
        log(`[${via}] > ${command}`);
        log(`[${via}] < ${result.replies[i]}`);
      }
      log(`[${via}] server closed the connection: ${result.serverClosed}`);
      sessions.push({ via, commands, ...result });
    };
    await run("tcp", ["SET greeting hello from tcp", "SET answer 42", "QUIT"]);
    await run("websocket", ["GET greeting", "GET answer", "SET origin websocket", "GET nothing", "QUIT"]);
    await run("tcp", ["GET origin", "DEL origin", "GET origin", "QUIT"]);
    return sessions;
  } finally {
    tcp.close();
    ws.close();
    tcp.closeClients();
    ws.closeClients();
    await Promise.all([tcp.waitClosed(), ws.waitClosed()]);
    log("servers closed");
  }
}
