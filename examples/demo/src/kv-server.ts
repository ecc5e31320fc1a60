import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Serves one connection of a tiny key-value protocol:
 * `SET <key> <size>\n<size bytes>` answers `+OK\n`; `GET <key>\n` answers `$<size>\n<bytes>` or
 * `$-1\n`; `QUIT\n` (or EOF) ends the session. A line longer than the reader's limit is answered
 * with `-ERR line too long\n` and the session goes on: the reader discarded exactly that line.
 *
 * @param reader The connection's reader.
 * @param writer The connection's writer.
 * @param store The shared key-value store.
 */
export async function serveKeyValue(
  reader: StreamReader,
  writer: StreamWriter,
  store: Map<string, Uint8Array>,
): Promise<void> {
  try {
    for (;;) {
      let line: Uint8Array;
      try {
        line = await reader.readLine();
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_LIMIT_OVERRUN") throw error;
        writer.write(encoder.encode("-ERR line too long\n"));
        continue;
      }
      if (line.length === 0) break; // EOF
      const [command, key = "", size = "0"] = decoder.decode(line).trim().split(" ");
      if (command === "QUIT") break;
      if (command === "SET") {
        store.set(key, await reader.readExactly(Number(size)));
        writer.write(encoder.encode("+OK\n"));
      } else if (command === "GET") {
        const value = store.get(key);
        if (value === undefined) writer.write(encoder.encode("$-1\n"));
        else writer.writeLines([encoder.encode(`$${value.length}\n`), value]);
      } else {
        writer.write(encoder.encode(`-ERR unknown command ${JSON.stringify(command)}\n`));
      }
      await writer.drain(); // respect the client's pace: waits only while our send buffer is full
    }
  } finally {
    writer.close();
    await writer.waitClosed();
  }
}
