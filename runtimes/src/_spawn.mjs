// @ts-check
// Starts a child process in its own process group, so that on a deadline the whole group (the
// runtime and every worker it forked) can be killed by its id, and nothing outlives the run.
import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";

/**
 * @typedef {object} Finished
 * @property {number | null} code    exit code, null when killed
 * @property {boolean} timedOut      the deadline passed and the group was killed
 * @property {number} ms             wall time
 */

/**
 * Runs `binary args` with stdout and stderr sent to `logFile`, and kills its process group after
 * `timeoutMs`.
 * @param {string} binary
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number }} options
 * @returns {Promise<Finished>}
 */
export function runLogged(binary, args, { cwd, env, logFile, timeoutMs }) {
  const started = performance.now();
  const log = openSync(logFile, "w");
  const child = spawn(binary, args, { cwd, env, stdio: ["ignore", log, log], detached: true });
  closeSync(log);
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    let settled = false;
    /** @param {number | null} code */
    const finish = (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Workers that the runtime forked and left behind (it crashed, or was killed) go too.
      killGroup(child.pid);
      resolve({ code, timedOut, ms: performance.now() - started });
    };
    child.on("error", () => finish(127)); // the binary could not be started
    child.on("close", (code) => finish(code));
  });
}

/**
 * Kills a process group by its leader's id; a group that is already gone is fine.
 * @param {number | undefined} pid
 */
export function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: already gone.
  }
}
