import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One session of the key-value line protocol, the same over a TCP connection and a QUIC stream:
 * `SET key value` answers `OK`, `GET key` answers `VALUE value` or `NONE`, anything else `ERROR`.
 * It ends at EOF (the client's FIN or half-close), then closes its side.
 *
 * @param reader What the client sends.
 * @param writer Where the answers go.
 * @param store The shared keys and values.
 */
export async function kvSession(reader: StreamReader, writer: StreamWriter, store: Map<string, string>): Promise<void> {
  for await (const raw of reader) {
    const line = decoder.decode(raw).trimEnd();
    const [command, key, ...rest] = line.split(" ");
    let answer: string;
    if (command === "SET" && key !== undefined && rest.length > 0) {
      store.set(key, rest.join(" "));
      answer = "OK";
    } else if (command === "GET" && key !== undefined && rest.length === 0) {
      const value = store.get(key);
      answer = value === undefined ? "NONE" : `VALUE ${value}`;
    } else {
      answer = "ERROR";
    }
    writer.write(encoder.encode(`${answer}\n`));
    await writer.drain(); // at the client's pace
  }
  writer.close();
  await writer.waitClosed();
}
