import { setTimeout as sleep } from "node:timers/promises";
import { ChatClient } from "./chat-client.js";
import { startChatServer } from "./chat-server.js";

/** What {@linkcode runChat} saw. */
export interface ChatRun {
  /** What each client received, by nickname, in order (carol's only until she stopped reading). */
  received: Record<string, string[]>;
  /** Who the server dropped as too slow. */
  dropped: string[];
  /** How many bytes alice pasted before the server dropped carol. */
  pastedBytes: number;
  /** Who was still online just before the shutdown. */
  onlineAtShutdown: string[];
}

/**
 * The whole example: a chat server on 127.0.0.1 (a free port) and three clients, alice, bob and
 * carol. They exchange a few lines; then carol stops reading while alice pastes a long text, and the
 * server drops carol once her backlog cannot drain within the deadline; bob, who reads, gets all
 * of it. Then a graceful shutdown: `close()`, `closeClients()`, `waitClosed()`.
 *
 * @param log Where each line of the transcript goes (`console.log` by default).
 * @returns What each client received, and who was dropped.
 */
export async function runChat(log: (line: string) => void = console.log): Promise<ChatRun> {
  const signal = AbortSignal.timeout(20_000);
  const dropped: string[] = [];
  let onDrop: () => void = () => undefined;
  const carolDropped = new Promise<void>((resolve) => (onDrop = resolve));
  const chat = await startChatServer({
    drainTimeout: 500,
    writeBufferHigh: 16 * 1024,
    onEvent: (event) => {
      log(`server: ${event.name} ${event.type}${event.type === "dropped" ? ` (${event.reason})` : ""}`);
      if (event.type === "dropped") {
        dropped.push(event.name);
        onDrop();
      }
    },
  });
  const { server } = chat;
  const received: Record<string, string[]> = { alice: [], bob: [], carol: [] };
  const clients: ChatClient[] = [];
  try {
    const [address] = server.addresses();
    if (address === undefined || typeof address === "string") throw new Error("The chat server has no TCP address");
    log(`chat server on ${address.address}:${address.port}`);
    const join = async (name: string): Promise<ChatClient> => {
      const client = await ChatClient.connect(address.address, address.port, name, signal);
      clients.push(client);
      return client;
    };
    const hear = async (client: ChatClient, count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const line = await client.nextLine(signal);
        if (line === null) throw new Error(`${client.name}: EOF while chatting`);
        received[client.name]!.push(line);
        log(`${client.name} <- ${line}`);
      }
    };

    const alice = await join("alice");
    const bob = await join("bob");
    await hear(alice, 1); // * bob joined
    const carol = await join("carol");
    await Promise.all([hear(alice, 1), hear(bob, 1)]); // * carol joined

    for (const [speaker, line] of [
      [alice, "hi all"],
      [bob, "hello alice"],
      [carol, "hey, both"],
    ] as const) {
      log(`${speaker.name} -> ${line}`);
      await speaker.say(line, signal);
      await Promise.all(clients.filter((c) => c !== speaker).map((c) => hear(c, 1)));
    }

    // carol stops reading. alice pastes 16 KiB lines, paced at about one a millisecond; bob keeps
    // up, carol's backlog grows past the kernel's buffers and her writer's high-water mark, her
    // drain misses its deadline, and the server drops her.
    log("carol stops reading; alice pastes a long text");
    const line = "x".repeat(16 * 1024 - 1);
    let pastedBytes = 0;
    let stop = false;
    void carolDropped.then(() => (stop = true));
    const bobReading = bob.waitFor((l) => l === "* carol was dropped (too slow)", signal);
    while (!stop && pastedBytes < 256 * 1024 * 1024) {
      await alice.say(line, signal);
      pastedBytes += line.length + 1;
      await sleep(1);
    }
    const bobSaw = await bobReading;
    log(`alice pasted ${pastedBytes} bytes; bob read ${bobSaw.skipped} pasted lines, then: ${bobSaw.line}`);
    received.bob!.push(bobSaw.line);
    await alice.waitFor((l) => l === "* carol was dropped (too slow)", signal);
    received.alice!.push("* carol was dropped (too slow)");
    log("alice <- * carol was dropped (too slow)");
    const carolEnd = await carol.reader.read(-1, { signal }).then(
      (rest) => `EOF after ${rest.length} more bytes`,
      (error: unknown) => `${error instanceof Error ? error.name : String(error)}`,
    );
    log(`carol's connection ended: ${carolEnd}`);
    await carol.close();

    log("bob -> bye");
    await bob.say("bye", signal);
    await hear(alice, 1);

    const onlineAtShutdown = chat.members();
    log(`shutting down; online: ${onlineAtShutdown.join(", ")}`);
    server.close();
    server.closeClients();
    const [aliceRest, bobRest] = await Promise.all([
      alice.readToEof(signal),
      bob.readToEof(signal),
      server.waitClosed(),
    ]);
    log(`alice and bob read EOF (after ${aliceRest.length + bobRest.length} more lines)`);
    return { received, dropped, pastedBytes, onlineAtShutdown };
  } finally {
    server.close();
    server.abortClients(); // after a failure only: the graceful path has no clients left
    await server.waitClosed();
    for (const client of clients) await client.close();
    log("server closed");
  }
}
