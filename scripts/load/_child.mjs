// @ts-check
// Spawns scripts/load/server.mjs in its own process and talks to it over stdio.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./server.mjs", import.meta.url));

/**
 * @typedef {object} ServerChild
 * @property {number} port
 * @property {number} pid the Node process itself (bash `exec`s it when a ulimit is applied)
 * @property {import("node:child_process").ChildProcess} child
 * @property {Record<string, unknown>[]} events every JSON line after the first
 * @property {() => Promise<Record<string, any>>} stats asks for {shed, errors, rss, fds, ...} (see server.mjs)
 * @property {() => number} fds the server's open descriptors now, from /proc/<pid>/fd
 * @property {() => boolean} alive
 * @property {() => Promise<number | null>} stop ends stdin and waits for the exit code
 */

/**
 * @param {string[]} args server.mjs arguments
 * @param {{ ulimitFds?: number, nodeFlags?: string[] }} [options] nodeFlags: e.g. ["--expose-gc"] for stats after a GC
 * @returns {Promise<ServerChild>}
 */
export async function startServerChild(args, options = {}) {
  const nodeArgs = [...(options.nodeFlags ?? []), SERVER, ...args];
  const command =
    options.ulimitFds === undefined
      ? spawn(process.execPath, nodeArgs, { stdio: ["pipe", "pipe", "inherit"] })
      : spawn("bash", ["-c", `ulimit -n ${options.ulimitFds} && exec "$0" "$@"`, process.execPath, ...nodeArgs], {
          stdio: ["pipe", "pipe", "inherit"],
        });
  /** @type {Record<string, unknown>[]} */
  const events = [];
  /** @type {((value: Record<string, unknown>) => void)[]} */
  const waiting = [];
  let exited = false;
  /** @type {Promise<number | null>} */
  const exit = new Promise((resolve) =>
    command.once("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const lines = createInterface({ input: /** @type {import("node:stream").Readable} */ (command.stdout) });
  const port = await new Promise((resolve, reject) => {
    command.once("exit", (code) => reject(new Error(`load server exited with ${code} before listening`)));
    lines.on("line", (line) => {
      /** @type {Record<string, unknown>} */
      const message = JSON.parse(line);
      if (typeof message.port === "number") resolve(message.port);
      else if ("shed" in message) waiting.shift()?.(message);
      else events.push(message);
    });
  });
  return {
    port,
    pid: /** @type {number} */ (command.pid),
    child: command,
    events,
    stats: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        command.stdin?.write("?\n");
      }),
    fds: () => readdirSync(`/proc/${command.pid}/fd`).length,
    alive: () => !exited,
    stop: async () => {
      command.stdin?.end();
      return exit;
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(/** @type {number} */ pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100 Hz on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The p-th percentile (0–100) of `values`, in their unit. */
export function percentile(/** @type {number[]} */ values, /** @type {number} */ p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A figure for the report: `digits` decimals, or `String(value)` for NaN and the infinities. */
export const fixed = (/** @type {number} */ value, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : String(value);
