// Public-API smoke of @asyncstreams/reader (and the buffer it reads from), run against an installed
// copy by the release checks (scripts/release/): plain JavaScript, no node: imports.
import { IncompleteReadError, StreamReader } from "@asyncstreams/reader";

const reader = new StreamReader({ limit: 64 * 1024 });
reader.feedData(new TextEncoder().encode("HELLO 5\nwor"));
reader.feedData(new TextEncoder().encode("ld!"));
reader.feedEof();
const decode = (bytes) => new TextDecoder().decode(bytes);
const header = decode(await reader.readLine());
const body = decode(await reader.readExactly(5));
let short;
try {
  await reader.readExactly(5);
} catch (error) {
  short = error;
}
if (header !== "HELLO 5\n" || body !== "world")
  throw new Error(`reader smoke: read ${JSON.stringify(header)} and ${JSON.stringify(body)}`);
if (!(short instanceof IncompleteReadError) || decode(short.partial) !== "!" || short.code !== "ERR_INCOMPLETE_READ") {
  throw new Error(`reader smoke: expected IncompleteReadError with partial "!", got ${short}`);
}
if (!reader.atEof()) throw new Error("reader smoke: not at EOF after reading everything");
console.log("ok @asyncstreams/reader");
