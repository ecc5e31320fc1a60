/**
 * The asyncstreams demo tour: a key-value server and client speaking a line-and-length protocol over
 * TCP on 127.0.0.1, with asyncio's reader semantics, then over TLS and over a STARTTLS upgrade.
 * `main.ts` runs it with `console.log`; the smoke test runs it in-process and reads what it logs.
 */
import { openConnection, startServer } from "@asyncstreams/net";
import { serveKeyValue } from "./kv-server.js";
import { startTlsExchange, tlsExchange, type Log } from "./secure.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const show = (bytes: Uint8Array): string => JSON.stringify(decoder.decode(bytes));

/**
 * Runs the whole tour and closes everything it opened.
 *
 * @param log where each line of the transcript goes (`console.log` by default)
 */
export async function runDemo(log: Log = console.log): Promise<void> {
  const store = new Map<string, Uint8Array>();
  // Each connection gets its own reader (lines of at most 1 KiB) and writer; port 0 picks a free port.
  const server = await startServer((reader, writer) => serveKeyValue(reader, writer, store), {
    host: "127.0.0.1",
    port: 0,
    limit: 1024,
  });
  const [address] = server.addresses();
  if (address === undefined || typeof address === "string") throw new Error("The demo server has no TCP address");
  log(`asyncstreams demo: a key-value server on ${address.address}:${address.port}\n`);

  const { reader, writer } = await openConnection({ host: address.address, port: address.port });

  // A body of 4 MiB: far above the transport's 64 KiB high-water mark, so drain() really waits.
  const body = encoder.encode("0123456789abcdef".repeat(262_144));
  writer.write(encoder.encode(`SET big ${body.length}\n`));
  writer.write(body);
  await writer.drain();
  log(`SET big (${body.length} bytes)  ->`, show(await reader.readLine()));

  writer.write(encoder.encode("GET big\n"));
  const header = decoder.decode(await reader.readUntil(encoder.encode("\n")));
  const value = await reader.readExactly(Number(header.slice(1)));
  log(
    `GET big  -> header ${JSON.stringify(header)}, body of ${value.length} bytes, intact: ${value.every((byte, i) => byte === body[i])}`,
  );

  writer.write(encoder.encode("GET missing\n"));
  log("GET missing  ->", show(await reader.readLine()));

  // Abortable reads: nothing is sent yet, so this read times out, consumes nothing, and the next read
  // gets every byte in order.
  const early = await reader.readLine({ signal: AbortSignal.timeout(50) }).catch((error: unknown) => error);
  log("readLine with a 50 ms timeout and nothing sent  ->", (early as Error).name);

  // A line longer than the server's 1 KiB limit is refused; the session goes on.
  writer.write(encoder.encode(`SET ${"k".repeat(2000)} 1\n`));
  log("an over-long command line  ->", show(await reader.readLine()));
  writer.write(encoder.encode("GET missing\n"));
  log("and the session goes on: GET missing  ->", show(await reader.readLine()));

  // Graceful shutdown: the client says QUIT, the server handler closes its side, the client reads EOF.
  writer.write(encoder.encode("QUIT\n"));
  log("QUIT  -> the server closed; read() returns", show(await reader.read()), "and atEof() is", reader.atEof());
  writer.close();
  await writer.waitClosed();
  server.close(); // stop accepting; waitClosed() also waits for every client to be gone
  await server.waitClosed();
  log("client and server closed cleanly\n");

  await tlsExchange(store, log);
  log();
  await startTlsExchange(store, log);
  log("\ndone: TCP, TLS and STARTTLS, all closed cleanly");
}
