import { spawn } from "node:child_process";
import type { ChildProcess, ChildProcessByStdio, StdioOptions } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { within } from "@asyncstreams/test-utils";

const REGISTER = fileURLToPath(new URL("../../../test-utils/loader/register.mjs", import.meta.url));

/** A Node child process running a fixture of this folder over the packages' sources. */
export interface SourceChild {
  readonly child: ChildProcess;
  /** The Node process's pid (bash `exec`s it when a ulimit is applied). */
  readonly pid: number;
  /** Every JSON line it printed, in order. */
  readonly messages: Record<string, unknown>[];
  /** The next JSON line that has `key`, waiting for it. */
  next(key: string, ms?: number): Promise<Record<string, unknown>>;
  /** Sends one line on its stdin. */
  send(line: string): void;
  alive(): boolean;
  stderr(): string;
  /** Ends its stdin (the fixtures exit then) and waits for the exit code; kills it after `ms`. */
  stop(ms?: number): Promise<number | null>;
}

/**
 * Runs `node test/<fixture> ...args` with the TypeScript hooks (no build needed), optionally under
 * `ulimit -n <fds>`, with extra Node flags and with descriptors of this process passed as fd 3 and up.
 * The child is killed at the end of the test.
 */
export function spawnSourceChild(
  fixture: string,
  args: readonly string[] = [],
  options: { ulimitFds?: number; nodeFlags?: readonly string[]; passFds?: readonly number[] } = {},
): SourceChild {
  const script = fileURLToPath(new URL(`./${fixture}`, import.meta.url));
  // Descriptors of this process handed to the child as its fd 3, 4, ... (inherited listening sockets).
  const stdio: StdioOptions = ["pipe", "pipe", "pipe", ...(options.passFds ?? [])];
  const nodeArgs = [
    "--conditions=@asyncstreams/source",
    "--import",
    REGISTER,
    ...(options.nodeFlags ?? []),
    script,
    ...args,
  ];
  // The first three are pipes whatever else is passed, so the streams are there.
  const child = (
    options.ulimitFds === undefined
      ? spawn(process.execPath, nodeArgs, { stdio })
      : spawn("bash", ["-c", `ulimit -n ${options.ulimitFds} && exec "$0" "$@"`, process.execPath, ...nodeArgs], {
          stdio,
        })
  ) as ChildProcessByStdio<Writable, Readable, Readable>;
  let errors = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let exited = false;
  const exit = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      exited = true;
      for (const wake of waiters.splice(0)) wake();
      resolve(code);
    });
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    messages.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  let taken = 0;
  const handle: SourceChild = {
    child,
    pid: child.pid!,
    messages,
    async next(key, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const index = messages.findIndex((message, at) => at >= taken && key in message);
        if (index !== -1) {
          taken = index + 1;
          return messages[index]!;
        }
        if (exited) throw new Error(`${fixture} exited before printing ${key}; stderr: ${errors}`);
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${key} from ${fixture}; stderr: ${errors}`);
        await within(
          new Promise<void>((resolve) => waiters.push(resolve)),
          Math.max(1, deadline - Date.now()),
          `${key} from ${fixture}`,
        ).catch(() => undefined);
      }
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    alive: () => !exited,
    stderr: () => errors,
    async stop(ms = 5_000) {
      if (!exited) child.stdin.end();
      try {
        return await within(exit, ms, `${fixture} to exit`);
      } catch (error) {
        child.kill("SIGKILL");
        await exit;
        throw error;
      }
    },
  };
  onTestFinished(async () => {
    if (!exited) child.kill("SIGKILL");
    await exit;
  });
  return handle;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100 Hz).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * This process's open file descriptors, from /proc/self/fd (the listing's own descriptor included, as
 * in every count).
 */
export function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}
