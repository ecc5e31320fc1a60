import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The body of `/chunked`: three writes, so node:http sends three chunks. */
export const CHUNKED_PARTS: readonly string[] = ["first chunk\n", "y".repeat(70_000), "\nlast chunk\n"];
/** The body of `/fixed`. */
export const FIXED_BODY = "Hello from node:http, framed by Content-Length\n";

/** A running local server. */
export interface LocalServer {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Stops it, ending any kept-alive connection. */
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1 with a free port, so the example needs no network:
 * `/fixed` answers with Content-Length, `/chunked` with Transfer-Encoding: chunked and a trailer,
 * `/empty` with 204, anything else with 404.
 *
 * @returns The server's port and a way to stop it.
 */
export async function startLocalServer(): Promise<LocalServer> {
  const server = createServer((request, response) => {
    switch (request.url) {
      case "/fixed":
        response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(FIXED_BODY) });
        response.end(FIXED_BODY);
        return;
      case "/chunked": {
        // No Content-Length: node:http frames the body as chunked, one chunk per write.
        response.writeHead(200, { "Content-Type": "text/plain", Trailer: "X-Parts" });
        for (const part of CHUNKED_PARTS) response.write(part);
        response.addTrailers({ "X-Parts": String(CHUNKED_PARTS.length) });
        response.end();
        return;
      }
      case "/empty":
        response.writeHead(204);
        response.end();
        return;
      default:
        response.writeHead(404, { "Content-Type": "text/plain", "Content-Length": 10 });
        response.end("not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
