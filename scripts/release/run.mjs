// @ts-check
// Runs a command to completion and fails with its output when it fails, so a broken release step
// names itself. Blocking is fine here: the registry runs in its own process.
import { spawn, spawnSync } from "node:child_process";

/**
 * @typedef {object} RunOptions
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} [env]     merged over process.env
 * @property {number} [timeoutMs]          default 5 minutes
 * @property {boolean} [allowFailure]      return the result instead of throwing
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {RunOptions} options
 * @returns {{ status: number | null, stdout: string, stderr: string, ms: number }}
 */
export function run(command, args, { cwd, env = {}, timeoutMs = 300_000, allowFailure = false }) {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    ms: performance.now() - started,
  };
  if (!allowFailure && result.status !== 0) {
    const why = result.error
      ? String(result.error)
      : result.signal
        ? `killed by ${result.signal}`
        : `exit ${result.status}`;
    const tail = `${out.stdout}\n${out.stderr}`.trim().split("\n").slice(-40).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (${why}) in ${cwd}:\n${tail}`);
  }
  return out;
}

/**
 * `git args` in `cwd`, trimmed stdout.
 * @param {string} cwd
 * @param {string[]} args
 * @param {{ allowFailure?: boolean }} [options]  allowFailure: "" instead of throwing
 */
export function git(cwd, args, { allowFailure = false } = {}) {
  const result = run("git", args, { cwd, allowFailure });
  return result.status === 0 ? result.stdout.trim() : "";
}

/**
 * Like {@link run}, without blocking: for steps that may run side by side.
 * @param {string} command
 * @param {string[]} args
 * @param {RunOptions} options
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string, ms: number }>}
 */
export function runAsync(command, args, { cwd, env = {}, timeoutMs = 300_000, allowFailure = false }) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start ${command}: ${error.message}`));
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const out = { status, stdout, stderr, ms: performance.now() - started };
      if (allowFailure || status === 0) return resolve(out);
      const why = timedOut ? `timed out after ${timeoutMs} ms` : signal ? `killed by ${signal}` : `exit ${status}`;
      const tail = `${stdout}\n${stderr}`.trim().split("\n").slice(-40).join("\n");
      reject(new Error(`${command} ${args.join(" ")} failed (${why}) in ${cwd}:\n${tail}`));
    });
  });
}

/**
 * Runs `tasks` with at most `limit` at a time; results in the order of `tasks`.
 * @template T
 * @param {(() => Promise<T>)[]} tasks
 * @param {number} limit
 * @returns {Promise<T[]>}
 */
export async function inPool(tasks, limit) {
  /** @type {T[]} */
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await /** @type {() => Promise<T>} */ (tasks[index])();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
