import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { within } from "./wait.js";

/** A child process peer (openssl, python3) with line access to its output. */
export interface ChildPeer {
  readonly child: ChildProcess;
  /** The next line of its stdout; throws if it ends first or `ms` pass. */
  nextLine(ms?: number): Promise<string>;
  /** Waits for a stdout line that `match` accepts, skipping others. */
  lineMatching(match: (line: string) => boolean, ms?: number): Promise<string>;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far, for failure messages. */
  stderr(): string;
  /** Writes to its stdin. */
  send(data: string): void;
  /** Resolves with its exit code (null when killed by a signal) once it exits. */
  readonly exited: Promise<number | null>;
  /** Kills it (SIGKILL) unless it already exited, and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns `command args`; the process is killed at the end of the test, whatever happens. Its stdin
 * stays open until then (openssl s_client sends what is written there; the Python peers' watchdog
 * exits when it closes, so no peer outlives the test process).
 */
export function spawnPeer(command: string, args: readonly string[], options: { cwd?: string } = {}): ChildPeer {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], cwd: options.cwd });
  let out = "";
  let errors = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  child.stdin.on("error", () => undefined); // the peer may exit before reading everything
  const lines: string[] = [];
  const waiters: ((line: string | null) => void)[] = [];
  let ended = false;
  const input = createInterface({ input: child.stdout });
  input.on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  input.on("close", () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter(null);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const name = `${command} ${args.slice(0, 2).join(" ")}`;
  const nextLine = async (ms = 10_000): Promise<string> => {
    const ready = lines.shift();
    if (ready !== undefined) return ready;
    if (ended) throw new Error(`${name} ended its output; stderr: ${errors}`);
    const line = await within(
      new Promise<string | null>((resolve) => waiters.push(resolve)),
      ms,
      `a line from ${name}; stderr so far: ${errors}`,
    );
    if (line === null) throw new Error(`${name} ended its output; stderr: ${errors}`);
    return line;
  };
  const peer: ChildPeer = {
    child,
    nextLine,
    async lineMatching(match, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = await nextLine(Math.max(1, deadline - Date.now()));
        if (match(line)) return line;
      }
    },
    stdout: () => out,
    stderr: () => errors,
    send(data) {
      child.stdin.write(data);
    },
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await within(exited, 5_000, `${name} to exit`);
    },
  };
  onTestFinished(() => peer.kill());
  return peer;
}

/**
 * Runs `python3 <folder>/<script> ...args` (standard library only, unbuffered, no bytecode files);
 * killed at the end of the test. `folder` is a URL such as `new URL("./python/", import.meta.url)`.
 */
export function spawnPython(folder: URL, script: string, args: readonly string[] = []): ChildPeer {
  return spawnPeer("python3", ["-u", "-B", fileURLToPath(new URL(script, folder)), ...args]);
}

/** The port a peer printed on its first line. */
export async function portFrom(peer: ChildPeer): Promise<number> {
  const line = await peer.nextLine(10_000);
  const port = Number(line);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`The peer printed ${line}; stderr: ${peer.stderr()}`);
  return port;
}
