// @ts-check
// The server side of `pnpm test:load`, run in its own process: node scripts/load/server.mjs <mode> [deadlineMs]
//   echo      readLine() echo, for the pipelined-lines run (T2) and the fd-exhaustion run (T10)
//   deadline  the same, but each readLine() has AbortSignal.timeout(deadlineMs); on timeout the connection is closed (T6)
// Prints one JSON line {"port": n} once listening, then one JSON line per event worth counting.
import { startServer } from "../../packages/net/dist/index.js";

const mode = process.argv[2] ?? "echo";
const deadlineMs = Number(process.argv[3] ?? 1_000);
let shed = 0;
let errors = 0;

/** @param {unknown} message */
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/**
 * @param {import("../../packages/reader/dist/index.js").StreamReader} reader
 * @param {import("../../packages/writer/dist/index.js").StreamWriter} writer
 */
async function handle(reader, writer) {
  try {
    for (;;) {
      const signal = mode === "deadline" ? AbortSignal.timeout(deadlineMs) : undefined;
      const line = await reader.readLine({ signal });
      if (line.length === 0) break;
      writer.write(line);
      await writer.drain();
    }
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") shed++;
  } finally {
    writer.close();
  }
}

const server = await startServer(handle, {
  host: "127.0.0.1",
  port: 0,
  backlog: 511,
  noDelay: true,
  onError: (error, context) => {
    errors++;
    const code = /** @type {{ code?: unknown }} */ (error)?.code;
    say({ event: "error", message: context.message, code: typeof code === "string" ? code : String(error) });
  },
});
say({ port: server.addresses()[0]?.port });
process.stdin.on("data", () => say({ shed, errors }));
process.stdin.on("end", () => {
  server.close();
  server.abortClients();
  process.exit(0);
});
