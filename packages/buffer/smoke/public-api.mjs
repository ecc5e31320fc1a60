// Public-API smoke of @asyncstreams/buffer, run against an installed copy by the release checks
// (scripts/release/): plain JavaScript, no node: imports, so Node, Bun and Deno run it as is.
import { ByteBuffer, StreamError } from "@asyncstreams/buffer";

const encoder = new TextEncoder();
const buffer = new ByteBuffer();
buffer.append(encoder.encode("HTTP/1.1 200 OK\r\nContent-Le"));
buffer.append(encoder.encode("ngth: 5\r\n\r\nhello"));
const end = buffer.indexOf(encoder.encode("\r\n\r\n"));
const head = new TextDecoder().decode(buffer.take(end + 4));
const body = new TextDecoder().decode(buffer.take(5));
if (head !== "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" || body !== "hello") {
  throw new Error(`buffer smoke: took ${JSON.stringify(head)} and ${JSON.stringify(body)}`);
}
const error = new StreamError("ERR_SMOKE", "Cannot smoke: on purpose");
if (error.code !== "ERR_SMOKE" || !(error instanceof Error)) throw new Error("buffer smoke: StreamError lost its code");
console.log("ok @asyncstreams/buffer");
