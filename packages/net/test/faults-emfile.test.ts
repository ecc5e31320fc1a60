import { connect } from "node:net";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { sleep } from "@asyncstreams/test-utils";
import { HOST } from "@asyncstreams/test-utils/node";
import { cpuSeconds, spawnSourceChild } from "./_reliability-child.js";

type Outcome = "served" | "closed" | "waiting";

/** A raw client that sends one line and tells whether it was echoed, closed or left waiting. */
function tryEcho(port: number, waitMs: number): Promise<{ socket: Socket; outcome: Outcome }> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let answer = "";
    const done = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve({ socket, outcome });
    };
    const timer = setTimeout(() => done("waiting"), waitMs);
    socket.on("connect", () => socket.write("hello\n"));
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      if (answer === "hello\n") done("served");
    });
    socket.on("error", () => done("closed"));
    socket.on("close", () => done("closed"));
  });
}

describe("EMFILE (C8)", () => {
  it("C8: a server under ulimit -n 64 with 150 clients stays up without spinning, and serves again once descriptors are free", {
    timeout: 30_000,
  }, async () => {
    const server = spawnSourceChild("_reliability-server-child.mjs", ["echo"], { ulimitFds: 64 });
    const { port } = (await server.next("port")) as { port: number };
    const held: { socket: Socket; outcome: Outcome }[] = [];
    try {
      held.push(...(await Promise.all(Array.from({ length: 150 }, () => tryEcho(port, 2_000)))));
      const count = (outcome: Outcome, list = held): number => list.filter((entry) => entry.outcome === outcome).length;
      // Some are served, the rest are shed (closed) by libuv's EMFILE trick or wait in the backlog.
      expect(count("served")).toBeGreaterThan(0);
      expect(count("served")).toBeLessThan(64);
      expect(count("served") + count("closed") + count("waiting")).toBe(150);
      expect(server.alive()).toBe(true);

      // No busy loop while the descriptors stay exhausted (target < 5 %; bounded generously here).
      const before = cpuSeconds(server.pid);
      await sleep(1_000);
      expect(cpuSeconds(server.pid) - before).toBeLessThan(0.3);
      expect(server.alive()).toBe(true);

      // The held connections still work: each served one echoes a second line.
      const served = held.find((entry) => entry.outcome === "served")!;
      const again = new Promise<string>((resolve) =>
        served.socket.once("data", (data: Buffer) => resolve(data.toString("latin1"))),
      );
      served.socket.write("again\n");
      expect(await again).toBe("again\n");

      for (const entry of held.splice(0)) entry.socket.destroy();
      const freedAt = Date.now();
      let recovered = false;
      while (!recovered && Date.now() - freedAt < 5_000) {
        const probe = await tryEcho(port, 500);
        probe.socket.destroy();
        recovered = probe.outcome === "served";
      }
      expect(recovered).toBe(true);
      expect(Date.now() - freedAt).toBeLessThan(3_000); // target 1 s
      const fresh = await Promise.all(Array.from({ length: 20 }, () => tryEcho(port, 3_000)));
      for (const entry of fresh) entry.socket.destroy();
      expect(count("served", fresh)).toBe(20);

      // Accept errors, if any reached the server, went to onError with a system code, never a crash.
      for (const message of server.messages.filter((entry) => "error" in entry)) {
        expect(message).toMatchObject({
          error: expect.stringMatching(/^E[A-Z]+$/) as unknown,
          message: "Accept error on a listening socket",
        });
      }
      expect(server.messages.filter((entry) => "uncaught" in entry)).toEqual([]);
      expect(server.alive()).toBe(true);
    } finally {
      for (const entry of held) entry.socket.destroy();
    }
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toBe("");
  });
});
