// Runs on Deno (`deno run -A --no-lock`) or Bun (`bun run`), started by ../runtimes.test.ts: the
// transport conformance kit over the built package's WebSocketTransport, both ends in this process.
// The client is the runtime's global (WHATWG) WebSocket; the server side is the runtime's own:
// Deno.serve + Deno.upgradeWebSocket (another WHATWG socket) on Deno, a `ws` WebSocketServer on Bun
// (Bun's built-in `ws`; Bun.serve's ServerWebSocket has no event-target shape to wrap).
// Prints one JSON line per case: { name, ok, error? }, then { done: true }. Argument: a JSON array of
// name prefixes to skip.
import { transportConformance } from "@asyncstreams/protocol/testing";
import { openWebSocketStreamTransport } from "../../dist/_web-socket-stream.js";
import { WebSocketTransport } from "../../dist/index.js";

const { Deno } = /** @type {{ Deno?: any }} */ (globalThis);
/** Name prefixes of cases not to run (a JSON array), so that a known-inapplicable case costs no timeout. */
const [skipArgument, mode] = Deno?.args ?? process.argv.slice(2);
const skip = JSON.parse(skipArgument ?? "[]");
/**
 * "stream": the client is a WebSocketStream (Deno with --unstable-net), the transport that
 * openWebSocketConnection uses there, and the server side comes first in the pair, so that the
 * kit's "peer does not read" cases write into the stream's paused reader (real back-pressure).
 */
const useStream = mode === "stream";

/** Resolves once a WHATWG or ws socket is open. */
function whenOpen(socket) {
  if (socket.readyState === 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("close", () => reject(new Error("closed before open")));
  });
}

/** Resolves once a socket is closed, or after `ms` (a socket stuck in its closing handshake). */
function whenClosed(socket, ms = 2_000) {
  if (socket.readyState === 3) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    socket.addEventListener("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A server on 127.0.0.1:0 whose `accepted()` is the next server-side socket (open or opening). */
async function startServer() {
  let waiting = [];
  const hand = (socket) => waiting.shift()?.(socket);
  if (Deno !== undefined) {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
      const { socket, response } = Deno.upgradeWebSocket(request);
      hand(socket);
      return response;
    });
    return {
      url: `ws://127.0.0.1:${server.addr.port}/`,
      accepted: () => new Promise((resolve) => waiting.push(resolve)),
      close: async () => {
        await server.shutdown();
      },
    };
  }
  const { WebSocketServer } = await import("ws");
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  wss.on("connection", hand);
  return {
    url: `ws://127.0.0.1:${wss.address().port}/`,
    accepted: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => wss.close(() => resolve())),
  };
}

const server = await startServer();
const factory = async () => {
  const accepted = server.accepted();
  if (useStream) {
    const stream = new globalThis.WebSocketStream(server.url);
    const never = new Promise(() => undefined);
    const [client, peer] = await Promise.all([
      openWebSocketStreamTransport(stream, server.url, never, undefined),
      accepted,
    ]);
    await whenOpen(peer);
    return {
      transports: [new WebSocketTransport(peer), client],
      async close() {
        const streamClosed = Promise.race([
          stream.closed.catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 2_000)),
        ]);
        await Promise.all([whenClosed(peer), streamClosed]);
      },
    };
  }
  const client = new WebSocket(server.url);
  const peer = await accepted;
  await Promise.all([whenOpen(client), whenOpen(peer)]);
  return {
    transports: [new WebSocketTransport(client), new WebSocketTransport(peer)],
    async close() {
      // The kit has closed or aborted both ends; wait (boundedly) for the closing handshakes.
      await Promise.all([whenClosed(client), whenClosed(peer)]);
    },
  };
};
const cases = transportConformance(factory, {
  halfClose: false,
  pauseReading: true,
  writeBufferLimits: true,
  timeout: 30_000,
});
for (const c of cases) {
  if (skip.some((prefix) => c.name.startsWith(prefix))) continue;
  try {
    await c.run();
    console.log(JSON.stringify({ name: c.name, ok: true }));
  } catch (error) {
    console.log(
      JSON.stringify({
        name: c.name,
        ok: false,
        error: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error),
      }),
    );
  }
}
console.log(JSON.stringify({ done: true }));
await server.close();
if (Deno !== undefined) Deno.exit(0);
else process.exit(0);
