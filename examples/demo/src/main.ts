/**
 * The asyncstreams demo: a key-value server and client speaking a line-and-length protocol over an
 * in-memory connection, with asyncio's reader semantics. Run it with `pnpm demo`.
 */
import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { serveKeyValue } from "./kv-server.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const show = (bytes: Uint8Array): string => JSON.stringify(decoder.decode(bytes));

const [clientEnd, serverEnd] = memoryTransportPair();
const server = createStreams(serverEnd, { limit: 1024 });
const serving = serveKeyValue(server.reader, server.writer, new Map());
const { reader, writer } = createStreams(clientEnd);

console.log("asyncstreams demo: a key-value protocol over an in-memory connection\n");

// A body of 200 KiB: bigger than the transport's 64 KiB high-water mark, so drain() really waits.
const body = encoder.encode("0123456789abcdef".repeat(12_800));
writer.write(encoder.encode(`SET big ${body.length}\n`));
writer.write(body);
await writer.drain();
console.log(`SET big (${body.length} bytes)  ->`, show(await reader.readLine()));

writer.write(encoder.encode("GET big\n"));
const header = decoder.decode(await reader.readUntil(encoder.encode("\n")));
const value = await reader.readExactly(Number(header.slice(1)));
console.log(`GET big  -> header ${JSON.stringify(header)}, body of ${value.length} bytes, intact: ${value.every((byte, i) => byte === body[i])}`);

writer.write(encoder.encode("GET missing\n"));
console.log("GET missing  ->", show(await reader.readLine()));

// Abortable reads: nothing is sent yet, so this read times out, consumes nothing, and the next
// read gets every byte in order.
// (AbortSignal.timeout() would do, but its timer does not keep Node alive and nothing else does here.)
const controller = new AbortController();
setTimeout(() => controller.abort(new Error("timed out")), 50);
const early = await reader.readLine({ signal: controller.signal }).catch((error: unknown) => error);
console.log("readLine with a 50 ms timeout and nothing sent  ->", (early as Error).message);

// A line longer than the server's 1 KiB limit is refused; the session goes on.
writer.write(encoder.encode(`SET ${"k".repeat(2000)} 1\n`));
console.log("an over-long command line  ->", show(await reader.readLine()));
writer.write(encoder.encode("GET big\n"));
console.log("and the session goes on: GET big  ->", show(await reader.readUntil(encoder.encode("\n"))));
await reader.readExactly(body.length);

writer.write(encoder.encode("QUIT\n"));
console.log("QUIT  -> server closed; client read() returns", show(await reader.read()), "at EOF:", reader.atEof());
writer.close();
await Promise.all([writer.waitClosed(), serving]);
console.log("\nboth sides closed cleanly");
