import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

/** A session handler: the shape `startServer()` of `@asyncstreams/net` and `startWebSocketServer()` both take. */
export type SessionHandler = (reader: StreamReader, writer: StreamWriter) => Promise<void>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Answers one command line (without its `\n`); `null` ends the session. */
function answer(store: Map<string, string>, line: string): string {
  const [command = "", key, ...rest] = line.split(" ");
  switch (command.toUpperCase()) {
    case "SET":
      if (key === undefined || rest.length === 0) return "ERR usage: SET key value";
      store.set(key, rest.join(" "));
      return "OK";
    case "GET": {
      if (key === undefined) return "ERR usage: GET key";
      const value = store.get(key);
      return value === undefined ? "NOT_FOUND" : `VALUE ${value}`;
    }
    case "DEL":
      if (key === undefined) return "ERR usage: DEL key";
      return store.delete(key) ? "DELETED" : "NOT_FOUND";
    case "QUIT":
      return "BYE";
    default:
      return `ERR unknown command ${JSON.stringify(command)}`;
  }
}

/**
 * A tiny key-value line protocol: `SET key value` → `OK`, `GET key` → `VALUE value` or
 * `NOT_FOUND`, `DEL key` → `DELETED` or `NOT_FOUND`, `QUIT` → `BYE` and the server closes. One reply
 * line per command line. The returned handler knows nothing of its transport: the same function
 * serves TCP (`startServer()` of `@asyncstreams/net`) and WebSocket (`startWebSocketServer()`).
 *
 * @param store The keys and values, shared by every session of this handler.
 * @returns The session handler.
 */
export function kvSession(store: Map<string, string> = new Map()): SessionHandler {
  return async (reader: StreamReader, writer: StreamWriter): Promise<void> => {
    try {
      for await (const raw of reader) {
        const text = decoder.decode(raw);
        const reply = answer(store, text.endsWith("\n") ? text.slice(0, -1) : text);
        writer.write(encoder.encode(`${reply}\n`));
        await writer.drain(); // back-pressure: never buffer more than the client reads
        if (reply === "BYE") break;
      }
    } finally {
      writer.close();
      await writer.waitClosed().catch(() => undefined); // the client may already be gone
    }
  };
}

/**
 * A client session: sends each command, reads its reply; after the last one (normally `QUIT`),
 * reads on until the server closes.
 *
 * @param reader The connection's reader.
 * @param writer The connection's writer.
 * @param commands The command lines, without their `\n`.
 * @param signal Aborts every read and drain.
 * @returns The replies, in order, and whether the server closed after the last one.
 */
export async function runCommands(
  reader: StreamReader,
  writer: StreamWriter,
  commands: readonly string[],
  signal?: AbortSignal,
): Promise<{ replies: string[]; serverClosed: boolean }> {
  const withSignal = signal === undefined ? {} : { signal };
  const replies: string[] = [];
  try {
    for (const command of commands) {
      writer.write(encoder.encode(`${command}\n`));
      await writer.drain(withSignal);
      const reply = decoder.decode(await reader.readLine(withSignal));
      replies.push(reply.endsWith("\n") ? reply.slice(0, -1) : reply);
    }
    const rest = await reader.read(-1, withSignal);
    return { replies, serverClosed: rest.length === 0 && reader.atEof() };
  } finally {
    writer.close();
    await writer.waitClosed().catch(() => undefined);
  }
}
