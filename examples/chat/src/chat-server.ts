import { startServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Options for {@linkcode startChatServer}. */
export interface ChatServerOptions {
  /** The address to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /** The longest line accepted, in bytes. Default 64 KiB. */
  limit?: number;
  /**
   * How long a client's backlog may stay above its write buffer's high-water mark, in
   * milliseconds, before the client is dropped as too slow. Default 1,000.
   */
  drainTimeout?: number;
  /** Each connection's write-buffer high-water mark, in bytes. Default 64 KiB (asyncio's). */
  writeBufferHigh?: number;
  /** Told of joins, leaves and drops (the server's own log). */
  onEvent?: (event: ChatEvent) => void;
}

/** What {@linkcode ChatServerOptions.onEvent} hears. */
export type ChatEvent =
  | { type: "joined"; name: string }
  | { type: "left"; name: string }
  | { type: "dropped"; name: string; reason: string };

/** A chat server: the `@asyncstreams/net` server, and who is online. */
export interface ChatServer {
  /** The listening server: `close()`, `closeClients()`, `waitClosed()`. */
  readonly server: Server;
  /** The nicknames of the clients online. */
  members(): string[];
}

/** One client that has sent `NICK`. */
interface Member {
  readonly name: string;
  readonly writer: StreamWriter;
  /** The `drain()` in progress for this client's backlog, if any. */
  draining: Promise<void> | null;
  dropped: boolean;
}

function lineOf(raw: Uint8Array): string {
  const text = decoder.decode(raw);
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

/**
 * Starts a line chat server. A client sends `NICK name` first (the server answers `WELCOME name`,
 * or `ERR ...` and closes), then lines; each line goes to every other client as `name: line`.
 * Joins and leaves are announced as `* name joined` and `* name left`.
 *
 * Back-pressure is per client: a broadcast never waits for anyone. It writes to each receiver's
 * writer at once, and each receiver has its own `drain({ signal: AbortSignal.timeout(drainTimeout) })`
 * running while its backlog is above the high-water mark. A client that does not read fast
 * enough for that drain to complete before the deadline is dropped (its connection is aborted,
 * its backlog discarded) and the others are told `* name was dropped (too slow)`. One slow
 * reader thus costs the server at most a bounded backlog, and never slows the others down.
 *
 * @param options Where to listen, the line limit, the drain deadline, and an event hook.
 * @returns The chat server.
 */
export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const drainTimeout = options.drainTimeout ?? 1_000;
  const onEvent = options.onEvent ?? (() => undefined);
  const members = new Map<string, Member>();

  const drop = (member: Member, reason: string): void => {
    if (member.dropped) return;
    member.dropped = true;
    members.delete(member.name);
    // abort(), not close(): close() would first try to flush the very backlog that is the problem.
    const transport = member.writer.transport as { abort?: () => void };
    if (transport.abort !== undefined) transport.abort();
    else member.writer.close();
    onEvent({ type: "dropped", name: member.name, reason });
    broadcast(null, `* ${member.name} was dropped (too slow)`);
  };

  /** Writes `line` to `member` without waiting; starts a deadline-bound drain if none is running. */
  const send = (member: Member, line: string): void => {
    if (member.dropped || member.writer.isClosing()) return;
    member.writer.write(encoder.encode(`${line}\n`));
    if (member.draining !== null) return; // the running drain covers this write too
    const draining = member.writer.drain({ signal: AbortSignal.timeout(drainTimeout) }).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof DOMException && error.name === "TimeoutError")
          drop(member, `its backlog did not drain within ${drainTimeout} ms`);
        // Any other error: the connection is gone, and the member's own session ends on its reader.
      },
    );
    member.draining = draining;
    void draining.finally(() => {
      if (member.draining === draining) member.draining = null;
    });
  };

  const broadcast = (from: Member | null, line: string): void => {
    for (const member of [...members.values()]) if (member !== from) send(member, line);
  };

  const session = async (reader: StreamReader, writer: StreamWriter): Promise<void> => {
    let member: Member | null = null;
    try {
      const first = lineOf(await reader.readLine());
      const match = /^NICK ([A-Za-z0-9_-]{1,32})$/.exec(first);
      if (match === null) {
        writer.write(encoder.encode("ERR expected NICK name (letters, digits, _ or -, at most 32)\n"));
        return;
      }
      const name = match[1]!;
      if (members.has(name)) {
        writer.write(encoder.encode(`ERR nickname ${name} is taken\n`));
        return;
      }
      member = { name, writer, draining: null, dropped: false };
      members.set(name, member);
      writer.write(encoder.encode(`WELCOME ${name}\n`));
      onEvent({ type: "joined", name });
      broadcast(member, `* ${name} joined`);
      for await (const raw of reader) {
        if (member.dropped) break;
        broadcast(member, `${name}: ${lineOf(raw)}`);
      }
    } catch {
      // The client went away mid-line, or sent an over-long one: the session just ends.
    } finally {
      if (member !== null && !member.dropped) {
        members.delete(member.name);
        onEvent({ type: "left", name: member.name });
        broadcast(member, `* ${member.name} left`);
      }
      writer.close();
      await writer.waitClosed().catch(() => undefined); // the client may already be gone
    }
  };

  const server = await startServer(session, {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.writeBufferHigh === undefined ? {} : { writeBufferLimits: { high: options.writeBufferHigh } }),
  });
  return { server, members: () => [...members.keys()] };
}
