import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import type { WebSocketConstructor, WebSocketLike } from "../src/index.js";

/** The global WHATWG WebSocket where the runtime has one (Node 22+, Deno, Bun), else undefined. */
export const GlobalWebSocket: WebSocketConstructor | undefined = (globalThis as { WebSocket?: WebSocketConstructor })
  .WebSocket;

/** ws's WebSocket as a WebSocketConstructor. */
export const WsWebSocket = WebSocket as unknown as WebSocketConstructor;

/** A raw ws server on 127.0.0.1:0 that hands over each accepted server-side socket. */
export async function rawServer(options: { maxPayload?: number } = {}) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, ...options });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    port,
    /** The next accepted socket. */
    accepted: () => new Promise<WebSocket>((resolve) => wss.once("connection", resolve)),
    wss,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Resolves once a ws or WHATWG socket is closed (at once if it is). */
export function whenClosed(socket: WebSocketLike): Promise<{ code: number; reason: string }> {
  if (socket.readyState === 3) return Promise.resolve({ code: -1, reason: "" });
  return new Promise((resolve) =>
    socket.addEventListener("close", (event) => {
      const { code, reason } = event as unknown as { code: number; reason: string };
      resolve({ code, reason });
    }),
  );
}

/** Resolves once a socket is open. */
export function whenOpen(socket: WebSocketLike): Promise<void> {
  if (socket.readyState === 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("close", () => reject(new Error("closed before open")));
  });
}

/** A connected client (of `Constructor`) and ws server-side socket. */
export async function socketPair(Constructor: WebSocketConstructor = WsWebSocket) {
  const server = await rawServer();
  const accepted = server.accepted();
  const client = new Constructor(server.url);
  const [peer] = await Promise.all([accepted, whenOpen(client)]);
  return {
    client,
    peer,
    async close() {
      if (client.readyState !== 3) {
        const closed = whenClosed(client);
        const ws = client as unknown as Partial<WebSocket>;
        if (typeof ws.terminate === "function") ws.terminate();
        else client.close();
        peer.terminate();
        await closed;
      }
      await server.close();
    },
  };
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
