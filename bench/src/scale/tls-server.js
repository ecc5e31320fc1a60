// Child process of tls-scale.js: a TLS server on 127.0.0.1 whose handlers hold each connection open
// (reading until EOF). Answers "rss" requests from the parent over IPC.
import { readFileSync } from "node:fs";
import { startServer } from "@asyncstreams/tls";

const certs = new URL("../../../examples/demo/certs/", import.meta.url);
const tls = { key: readFileSync(new URL("server-key.pem", certs)), cert: readFileSync(new URL("server.pem", certs)) };
let connections = 0;
const server = await startServer(
  async (reader, writer) => {
    connections++;
    await reader.read();
    writer.close();
    await writer.waitClosed().catch(() => undefined);
  },
  { host: "127.0.0.1", port: 0, tls, backlog: 1024 },
);
const [address] = server.addresses();
process.on("message", (message) => {
  if (message === "rss") {
    globalThis.gc?.();
    process.send?.({ rss: process.memoryUsage().rss, connections });
  } else if (message === "stop") {
    server.close();
    server.closeClients();
    void server.waitClosed().then(() => process.exit(0));
  }
});
process.send?.({ port: /** @type {{ port: number }} */ (address).port });
