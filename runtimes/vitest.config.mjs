// @ts-check
// The root Vitest config (sources through the `@asyncstreams/source` condition, timeouts, the
// fast-check setup) plus a probe that records which runtime each test worker really is, so a run
// that silently fell back to another `node` is caught (see src/probe.setup.mjs).
import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import base from "../vitest.config.ts";

export default mergeConfig(base, {
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: { setupFiles: [fileURLToPath(new URL("./src/probe.setup.mjs", import.meta.url))] },
});
