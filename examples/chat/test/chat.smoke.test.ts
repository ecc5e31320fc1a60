import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { ChatClient } from "../src/chat-client.js";
import { startChatServer } from "../src/chat-server.js";
import { runChat } from "../src/run-chat.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("examples/chat", () => {
  it("runChat() broadcasts to everyone else, drops the slow client, and shuts down gracefully", async () => {
    const lines: string[] = [];
    const run = await runChat((line) => lines.push(line));
    expect(run.dropped).toEqual(["carol"]);
    expect(run.onlineAtShutdown).toEqual(["alice", "bob"]);
    expect(run.received.alice).toEqual([
      "* bob joined",
      "* carol joined",
      "bob: hello alice",
      "carol: hey, both",
      "* carol was dropped (too slow)",
      "bob: bye",
    ]);
    expect(run.received.bob).toEqual([
      "* carol joined",
      "alice: hi all",
      "carol: hey, both",
      "* carol was dropped (too slow)",
    ]);
    expect(run.received.carol).toEqual(["alice: hi all", "bob: hello alice"]);
    expect(run.pastedBytes).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^chat server on 127\.0\.0\.1:\d+$/);
    expect(lines).toContain("server: carol dropped (its backlog did not drain within 500 ms)");
    // A "* name left" may or may not reach the other before its own connection closes.
    expect(lines.some((line) => /^alice and bob read EOF \(after [0-2] more lines\)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe("server closed");
  });

  it("refuses a session that does not start with NICK, and a nickname that is taken", async () => {
    const chat = await startChatServer();
    try {
      const [address] = chat.server.addresses();
      if (address === undefined || typeof address === "string") throw new Error("no TCP address");
      const dave = await ChatClient.connect(address.address, address.port, "dave");
      await expect(ChatClient.connect(address.address, address.port, "dave")).rejects.toThrow(/nickname dave is taken/);
      expect(chat.members()).toEqual(["dave"]);
      await dave.close();
    } finally {
      chat.server.close();
      chat.server.closeClients();
      await chat.server.waitClosed();
    }
    // waitClosed() waits for the connections; the sessions' cleanup follows within a few turns.
    await vi.waitFor(() => expect(chat.members()).toEqual([]));
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0",
    async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
      expect(stdout).toContain("alice <- * carol was dropped (too slow)");
      expect(stdout).toContain("server closed");
    },
  );
});
