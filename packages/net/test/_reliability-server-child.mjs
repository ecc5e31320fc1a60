// A server under test in its own process, over the packages' sources (spawned by _reliability-child.ts):
//   node ... _reliability-server-child.mjs echo     readLine() echo until EOF, then close
// Prints {"port": n} once listening, {"error": code, "message": ...} for each onError report, and
// {"served": n} when a line "?" arrives on stdin. Ends its stdin: closes everything and exits 0.
import { startServer } from "@asyncstreams/net";

let served = 0;
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
process.on("uncaughtException", (error) => {
  say({ uncaught: String(error) });
  process.exit(70);
});
const server = await startServer(
  async (reader, writer) => {
    try {
      for (;;) {
        const line = await reader.readLine();
        if (line.length === 0) break;
        writer.write(line);
        await writer.drain();
        served++;
      }
    } catch {
      // a reset peer: nothing to report
    } finally {
      writer.close();
    }
  },
  {
    host: "127.0.0.1",
    port: 0,
    backlog: 511,
    onError: (error, context) =>
      say({ error: typeof error?.code === "string" ? error.code : String(error), message: context.message }),
  },
);
say({ port: server.addresses()[0]?.port });
process.stdin.setEncoding("utf8");
process.stdin.on("data", () => say({ served }));
process.stdin.on("end", () => {
  server.close();
  server.abortClients();
  void server.waitClosed().then(() => process.exit(0));
});
