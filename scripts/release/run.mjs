// @ts-check
// Runs a command to completion and fails with its output when it fails, so a broken release step
// names itself. Blocking is fine here: the registry runs in its own process.
import { spawnSync } from "node:child_process";

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
  const out = { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", ms: performance.now() - started };
  if (!allowFailure && result.status !== 0) {
    const why = result.error ? String(result.error) : result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
    const tail = `${out.stdout}\n${out.stderr}`.trim().split("\n").slice(-40).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (${why}) in ${cwd}:\n${tail}`);
  }
  return out;
}

/**
 * `git args` in `cwd`, trimmed stdout.
 * @param {string} cwd
 * @param {string[]} args
 */
export function git(cwd, args) {
  return run("git", args, { cwd }).stdout.trim();
}
