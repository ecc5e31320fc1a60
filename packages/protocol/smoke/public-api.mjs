// Public-API smoke of @asyncstreams/protocol with the reader and writer it wires together, run
// against an installed copy by the release checks (scripts/release/): no node: imports.
import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";

const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 16 * 1024 } });
const client = createStreams(left);
const server = createStreams(right, { limit: 4096 });
const decode = (bytes) => new TextDecoder().decode(bytes);

client.writer.write(new TextEncoder().encode("hello\n"));
await client.writer.drain();
const line = decode(await server.reader.readLine());
server.writer.write(new TextEncoder().encode("bye"));
server.writer.writeEof();
const reply = decode(await client.reader.read());
const eof = await client.reader.read();
client.writer.close();
await client.writer.waitClosed();
server.writer.close();
await server.writer.waitClosed();
if (line !== "hello\n" || reply !== "bye" || eof.length !== 0) {
  throw new Error(
    `protocol smoke: server read ${JSON.stringify(line)}, client read ${JSON.stringify(reply)} then ${eof.length} bytes`,
  );
}
console.log("ok @asyncstreams/protocol");
