// Public-API smoke of @asyncstreams/net (and every layer under it), run against an installed copy by
// the release checks (scripts/release/): a line echo over TCP on 127.0.0.1, half-close included.
import { openConnection, startServer } from "@asyncstreams/net";

const deadline = setTimeout(() => {
  console.error("net smoke: no answer within 20 s");
  process.exit(1);
}, 20_000);
const server = await startServer(
  async (reader, writer) => {
    for await (const line of reader) {
      writer.write(line);
      await writer.drain();
    }
    writer.close();
  },
  { host: "127.0.0.1", port: 0 },
);
const [{ port }] = server.addresses();
const { reader, writer } = await openConnection({ host: "127.0.0.1", port });
writer.write(new TextEncoder().encode("hello\n"));
const echoed = new TextDecoder().decode(await reader.readLine());
writer.writeEof();
const rest = await reader.read();
writer.close();
await writer.waitClosed();
server.close();
await server.waitClosed();
clearTimeout(deadline);
if (echoed !== "hello\n" || rest.length !== 0)
  throw new Error(`net smoke: echoed ${JSON.stringify(echoed)}, then ${rest.length} bytes`);
console.log("ok @asyncstreams/net");
