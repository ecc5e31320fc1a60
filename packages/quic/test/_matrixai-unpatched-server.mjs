// A bare @matrixai/quic 2.0.9 HTTP/3-ALPN server WITHOUT this package's fix (src/_defer-early-streams.ts),
// started by ngtcp2.test.ts to show the crash the fix prevents. Prints {"port":N}, then waits.
import { QUICServer } from "@matrixai/quic";
import Logger, { LogLevel } from "@matrixai/logger";
import { readFileSync } from "node:fs";

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const raw = crypto.getRandomValues(new Uint8Array(32)).buffer;
const hmac = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const server = new QUICServer({
  crypto: {
    key: raw,
    ops: {
      sign: async (_key, data) => crypto.subtle.sign("HMAC", await hmac, data),
      verify: async (_key, data, sig) => crypto.subtle.verify("HMAC", await hmac, sig, data),
    },
  },
  config: { key: fixture("server-key.pem"), cert: fixture("server.pem"), applicationProtos: ["h3"] },
  logger: new Logger("unpatched", LogLevel.SILENT),
});
await server.start({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ port: server.port }));
setTimeout(() => process.exit(0), 60_000);
