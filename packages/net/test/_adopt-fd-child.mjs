// A server adopting the listening descriptor its parent passed as fd 3, as systemd socket activation
// and pre-fork parents do (spawned by asyncio-options.test.ts, over the packages' sources):
//   node ... _adopt-fd-child.mjs
// Prints {"addresses": [...]} once serving; answers each line with "child <pid>: <line>". Ends its
// stdin: closes everything and exits 0.
import { startServer } from "@asyncstreams/net";

const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const prefix = new TextEncoder().encode(`child ${process.pid}: `);
const server = await startServer(
  async (reader, writer) => {
    writer.write(prefix);
    writer.write(await reader.readLine());
    writer.close();
  },
  { fd: 3 },
);
say({ addresses: server.addresses() });
process.stdin.resume();
process.stdin.on("end", () => {
  server.close();
  void server.waitClosed().then(() => process.exit(0));
});
