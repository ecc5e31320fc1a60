// One worker of the "serving on every core" recipe (docs/serving-on-every-core.md), used by
// every-core.test.ts against the built package:
//   node _every-core-worker.mjs reuseport <port> <name>   (Node 22.12+: SO_REUSEPORT, one process per core)
//   node _every-core-worker.mjs cluster <port> <workers>   (Node 20+: node:cluster, the primary forks)
// A worker answers each line `N` with `<name> N`, prints {"listening": name} once listening, and on
// the line "drain" on stdin (reuseport) or the message "drain" from the primary (cluster) drains
// (see serve()) and exits: one step of a rolling restart.
import cluster from "node:cluster";
import { setMaxListeners } from "node:events";
import { startServer } from "../dist/index.js";

const [mode, portText, third] = process.argv.slice(2);
const port = Number(portText);

/**
 * Serves until told to drain; the returned function drains: no new connections (close()), each
 * client's line in progress answered, then our side of each connection ended (writeEof()) so the
 * client sees EOF before it sends another line, while what it had already sent is read and not
 * answered (it sends it again elsewhere). A full close with the client's next line in flight would
 * make the kernel reset the connection. close({ timeout }) is the safety net.
 */
async function serve(name, reusePort, onListening) {
  const draining = new AbortController();
  setMaxListeners(0, draining.signal); // every waiting read listens to it
  const server = await startServer(
    async (reader, writer) => {
      try {
        for (;;) {
          const line = await reader.readLine({ signal: draining.signal });
          if (line.length === 0) break;
          writer.write(new TextEncoder().encode(`${name} ${new TextDecoder().decode(line)}`));
          await writer.drain();
        }
      } catch {
        // draining (the aborted read took nothing), or the client went away
      }
      try {
        if (draining.signal.aborted) {
          writer.writeEof();
          while ((await reader.read(65_536)).length > 0);
        }
      } catch {
        // the client went away
      } finally {
        writer.close();
      }
    },
    { host: "127.0.0.1", port, reusePort, onError: () => undefined },
  );
  onListening();
  return async () => {
    server.close({ timeout: 10_000 });
    draining.abort();
    await server.waitClosed();
  };
}

if (mode === "reuseport") {
  const drain = await serve(third, true, () => process.stdout.write(`${JSON.stringify({ listening: third })}\n`));
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", async (text) => {
    if (!text.includes("drain")) return;
    await drain();
    process.exit(0);
  });
} else if (cluster.isPrimary) {
  // The primary: forks the workers, replaces one when asked ("restart <n>" on stdin), reports.
  const count = Number(third);
  const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const fork = (name) => {
    const worker = cluster.fork({ WORKER_NAME: name });
    worker.on("message", (message) => {
      if (message === "listening") say({ listening: name });
    });
    return worker;
  };
  const workers = Array.from({ length: count }, (_, i) => fork(`w${i}`));
  let generation = 0;
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (text) => {
    for (const command of text.split("\n")) {
      const match = /^restart (\d+)$/.exec(command);
      if (match === null) continue;
      const index = Number(match[1]);
      // Start the replacement first, so capacity never drops, then drain the old one.
      const old = workers[index];
      const replacement = fork(`w${index}.${++generation}`);
      workers[index] = replacement;
      replacement.on("message", (message) => {
        if (message === "listening") old.send("drain");
      });
      old.once("exit", () => say({ restarted: index }));
    }
  });
  process.stdin.on("end", () => {
    for (const worker of workers) worker.kill();
    process.exit(0);
  });
} else {
  const drain = await serve(process.env.WORKER_NAME, false, () => process.send("listening"));
  process.on("message", async (message) => {
    if (message !== "drain") return;
    await drain();
    process.exit(0);
  });
}
