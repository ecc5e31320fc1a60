// @ts-check
// The core smoke checks (runtimes/smoke/core-smoke.js) inside a dedicated module Web Worker, in each
// browser of `pnpm test:browser`. Vite serves the worker from `new URL(..., import.meta.url)`, with
// the packages' sources as in the other browser tests.
import { beforeAll, describe, expect, it } from "vitest";
import { checkNames } from "../smoke/core-smoke.js";

/** @typedef {import("../smoke/core-smoke.js").SmokeReport & { scope: string }} WorkerReport */

/** Six checks with a 20 s deadline each, plus the worker's start. */
const WORKER_DEADLINE_MS = 150_000;

/**
 * Starts the worker, waits for its report, and terminates it.
 * @returns {Promise<WorkerReport>}
 */
function runInWorker() {
  const worker = new Worker(new URL("./smoke.worker.js", import.meta.url), { type: "module" });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return /** @type {Promise<WorkerReport>} */ (
    new Promise((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the worker sent no report within ${WORKER_DEADLINE_MS} ms`)),
        WORKER_DEADLINE_MS,
      );
      worker.addEventListener("message", (event) => resolve(event.data));
      worker.addEventListener("error", (event) =>
        reject(new Error(`the worker failed: ${event.message || "it could not load"}`)),
      );
    })
  ).finally(() => {
    clearTimeout(timer);
    worker.terminate();
  });
}

describe("the core smoke checks in a dedicated module Web Worker", () => {
  /** @type {WorkerReport} */
  let report;
  beforeAll(async () => {
    report = await runInWorker();
  }, WORKER_DEADLINE_MS + 5_000);

  it("runs in a DedicatedWorkerGlobalScope, whose unhandled-rejection hook is the global event", () => {
    expect(report.scope).toBe("DedicatedWorkerGlobalScope");
    expect(report.rejectionHook).toBe('globalThis.addEventListener("unhandledrejection")');
    expect(report.results.map((result) => result.name)).toEqual(checkNames);
  });

  for (const name of checkNames) {
    it(name, () => {
      const result = report.results.find((candidate) => candidate.name === name);
      expect(result?.error).toBeUndefined();
      expect(result?.ok).toBe(true);
    });
  }
});
