// Runs Verdaccio in this process on 127.0.0.1 with a port the OS picks, and prints
// `listening <port>` once it accepts connections. Started (and stopped) by registry.mjs as a child
// process, so that the scripts that publish to it and install from it may block without stalling it.
// Usage: node verdaccio-server.mjs <config.yaml>
import { createRequire } from "node:module";

// Verdaccio is CommonJS; require() gives its named exports for certain.
const { runServer } = createRequire(import.meta.url)("verdaccio");

async function main() {
  const configPath = process.argv[2];
  if (configPath === undefined) throw new Error("Cannot start Verdaccio: pass the path of its config.yaml");
  const server = await runServer(configPath);
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  // The parent ends this process with SIGTERM; close the listener first so nothing is cut mid-write.
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main().catch((/** @type {Error} */ error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
