import type { AddressInfo } from "node:net";
import { createStreams } from "@asyncstreams/protocol";
import type { Streams } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import WebSocket, { WebSocketServer } from "ws";
import { WebSocketTransport } from "./websocket-transport.js";

/** A session handler, the shape `startServer()` of `@asyncstreams/net` takes. */
export type SessionHandler = (reader: StreamReader, writer: StreamWriter) => Promise<void>;

/**
 * Waits for a `ws` WebSocket to open.
 *
 * @param ws A WebSocket that is connecting.
 * @param signal Aborts the wait and terminates the WebSocket.
 * @returns A promise that resolves once it is open, and rejects if it fails first.
 */
export function whenOpen(ws: WebSocket, signal?: AbortSignal): Promise<void> {
  if (ws.readyState === WebSocket.OPEN) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const settle = (action: () => void): void => {
      ws.off("open", onOpen);
      ws.off("error", onError);
      ws.off("close", onClose);
      signal?.removeEventListener("abort", onAbort);
      action();
    };
    const onOpen = (): void => settle(resolve);
    const onError = (error: Error): void => settle(() => reject(error));
    const onClose = (code: number): void => settle(() => reject(new Error(`Cannot connect: the WebSocket closed with code ${code}`)));
    const onAbort = (): void =>
      settle(() => {
        ws.terminate();
        reject(signal!.reason);
      });
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    ws.on("open", onOpen);
    ws.on("error", onError);
    ws.on("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options for {@linkcode openWebSocketConnection}. */
export interface OpenWebSocketConnectionOptions {
  /** The reader's limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Aborts the connect. */
  signal?: AbortSignal | undefined;
}

/**
 * `openConnection()` over a WebSocket: connects to `url` and returns asyncio's `{ reader, writer }`.
 *
 * @param url A `ws://` or `wss://` URL.
 * @param options The reader's limit and an abort signal.
 * @returns The connection's reader and writer.
 */
export async function openWebSocketConnection(url: string, options: OpenWebSocketConnectionOptions = {}): Promise<Streams> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await whenOpen(ws, options.signal);
  return createStreams(new WebSocketTransport(ws), { limit: options.limit });
}

/** Options for {@linkcode startWebSocketServer}. */
export interface StartWebSocketServerOptions {
  /** The address to listen on. Default `"127.0.0.1"`. */
  host?: string | undefined;
  /** The port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Each connection's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Called when a session handler rejects. Default `console.error`. */
  onError?: ((error: unknown) => void) | undefined;
}

/** A running {@linkcode startWebSocketServer}. */
export interface WebSocketLineServer {
  /** The `ws://host:port` URL clients connect to. */
  readonly url: string;
  /** Stops accepting connections; live sessions go on. Idempotent. */
  close(): void;
  /** Closes every live connection, after flushing what each has buffered. */
  closeClients(): void;
  /** Waits until the server is closed and every session handler has returned. */
  waitClosed(): Promise<void>;
}

/**
 * `startServer()` over WebSockets: a `ws` WebSocketServer whose connection handler wraps each
 * socket in a {@linkcode WebSocketTransport}, calls `createStreams()`, and runs `handler`, the same
 * kind of function `startServer()` of `@asyncstreams/net` takes.
 *
 * @param handler Runs once per connection.
 * @param options Where to listen, and the line limit.
 * @returns The listening server.
 */
export async function startWebSocketServer(handler: SessionHandler, options: StartWebSocketServerOptions = {}): Promise<WebSocketLineServer> {
  const onError = options.onError ?? ((error: unknown) => console.error("WebSocket session failed:", error));
  const wss = new WebSocketServer({ host: options.host ?? "127.0.0.1", port: options.port ?? 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const transports = new Set<WebSocketTransport>();
  const sessions = new Set<Promise<void>>();
  wss.on("connection", (ws) => {
    const transport = new WebSocketTransport(ws);
    transports.add(transport);
    ws.once("close", () => transports.delete(transport));
    const { reader, writer } = createStreams(transport, { limit: options.limit });
    const session = handler(reader, writer).catch(onError);
    sessions.add(session);
    void session.finally(() => sessions.delete(session));
  });
  const closed = new Promise<void>((resolve) => wss.once("close", () => resolve()));
  const { address, port } = wss.address() as AddressInfo;
  let closing = false;
  return {
    url: `ws://${address.includes(":") ? `[${address}]` : address}:${port}`,
    close() {
      if (closing) return;
      closing = true;
      wss.close();
    },
    closeClients() {
      for (const transport of transports) transport.close();
    },
    async waitClosed() {
      await closed;
      while (sessions.size > 0) await Promise.all(sessions);
    },
  };
}
