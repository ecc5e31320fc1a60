// Public-API smoke of @asyncstreams/writer, run against an installed copy by the release checks
// (scripts/release/): a StreamWriter over a minimal transport of its own, no node: imports.
import { StreamWriter } from "@asyncstreams/writer";

const written = [];
let closed = false;
let eof = false;
/** The smallest transport a writer drives: it keeps what it is given. */
const transport = {
  write: (data) => void written.push(new TextDecoder().decode(data)),
  writeLines: (chunks) => void written.push(...[...chunks].map((chunk) => new TextDecoder().decode(chunk))),
  writeEof: () => void (eof = true),
  canWriteEof: () => true,
  close: () => void (closed = true),
  isClosing: () => closed,
  getExtraInfo: () => undefined,
  getWriteBufferSize: () => 0,
};
const protocol = { drainHelper: async () => {}, closeWaiter: async () => {} };
const writer = new StreamWriter(transport, { protocol });
writer.write(new TextEncoder().encode("hello\n"));
writer.writeLines([new TextEncoder().encode("a"), new TextEncoder().encode("b\n")]);
await writer.drain();
writer.writeEof();
writer.close();
if (written.join("") !== "hello\nab\n" || !eof || !closed || !writer.isClosing()) {
  throw new Error(`writer smoke: wrote ${JSON.stringify(written)}, eof ${eof}, closed ${closed}`);
}
console.log("ok @asyncstreams/writer");
