/**
 * The Redis example: a RESP2 client on @asyncstreams/net running a short session against a real
 * `redis-server`. With `REDIS_URL` or a `redis://` URL argument it uses that server; otherwise it
 * starts its own on 127.0.0.1 with a free port and stops it on the way out (Ctrl-C included).
 *
 * Run: `pnpm --filter @asyncstreams/example-redis start [redis://host:port]` after `pnpm build`.
 */
import { parseRedisUrl } from "./parse-redis-url.js";
import { runRedisSession } from "./run-redis-session.js";
import { startRedisServer } from "./start-redis-server.js";

const url = process.argv[2] ?? process.env.REDIS_URL;
if (url !== undefined && url !== "") {
  console.log(`using ${url}`);
  await runRedisSession(parseRedisUrl(url));
} else {
  const server = await startRedisServer();
  console.log(`started redis-server (pid ${server.pid}) on ${server.host}:${server.port}`);
  // Ctrl-C or a kill: stop the server first, then leave with the signal's usual code.
  const onSignal = (signal: NodeJS.Signals): void => {
    void server.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await runRedisSession({ host: server.host, port: server.port });
  } finally {
    await server.stop();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    console.log("stopped redis-server");
  }
}
