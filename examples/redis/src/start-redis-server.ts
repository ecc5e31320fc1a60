import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { findRedisServer } from "./find-redis-server.js";
import { RedisClient } from "./redis-client.js";

/** A `redis-server` that {@linkcode startRedisServer} started. */
export interface LocalRedisServer {
  /** Always `"127.0.0.1"`. */
  host: string;
  /** The port it listens on. */
  port: number;
  /** The child process's id. */
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits until it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startRedisServer}. */
export interface StartRedisServerOptions {
  /** The executable. Default: `redis-server` found on `PATH`. */
  executable?: string | undefined;
  /** How long to wait for the server to answer `PING`, in milliseconds. Default 10 000. */
  timeout?: number | undefined;
}

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 with a free port and no persistence
 * (`--save '' --appendonly no`), and waits until it answers `PING`.
 *
 * The free port comes from binding port 0 and releasing it; another process could take it in
 * between, so a server that exits before it is ready is retried on a new port (three attempts).
 * The server is also killed if this process exits without calling `stop()`.
 *
 * @param options The executable and the start-up timeout.
 * @returns The running server.
 * @throws {Error} When `redis-server` is not installed, or does not answer within `timeout`.
 *
 * @example
 * ```ts
 * import { startRedisServer } from "./start-redis-server.js";
 *
 * const server = await startRedisServer();
 * try {
 *   console.log(`redis-server on ${server.host}:${server.port}`);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<LocalRedisServer> {
  const executable = options.executable ?? findRedisServer();
  if (executable === undefined)
    throw new Error("Cannot start redis-server: it is not on PATH (apt-get install -y redis-server)");
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(executable, await freePort(), options.timeout ?? 10_000);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error("Cannot start redis-server: three attempts failed", { cause: lastError });
}

async function startOnce(executable: string, port: number, timeout: number): Promise<LocalRedisServer> {
  const host = "127.0.0.1";
  const child = spawn(executable, ["--port", String(port), "--bind", host, "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-4096); // the tail is enough to explain a failure
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = once(child, "exit");
  // Belt and braces: a child left behind by a crash of this process would hold the port forever.
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopped;
  };

  try {
    await waitUntilReady(child, host, port, timeout);
  } catch (error) {
    await stop();
    throw new Error(`Cannot start redis-server on ${host}:${port}: ${String(error)}\n${output.trim()}`, {
      cause: error,
    });
  }
  if (child.pid === undefined) throw new Error("Cannot start redis-server: it has no pid");
  return { host, port, pid: child.pid, stop };
}

async function waitUntilReady(child: ChildProcess, host: string, port: number, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    let lastError: unknown;
    try {
      await using client = await RedisClient.connect({ host, port, signal: AbortSignal.timeout(1_000) });
      if ((await client.command("PING")) === "PONG") return;
    } catch (error) {
      lastError = error; // not listening yet, or still loading
    }
    if (Date.now() > deadline) throw new Error(`no PONG within ${timeout} ms`, { cause: lastError });
    await sleep(50);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
