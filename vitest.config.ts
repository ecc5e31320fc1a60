import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run against sources, not dist: no build is needed before `pnpm test`.
  ssr: { resolve: { conditions: ["@asyncstreams/source"] } },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "bench/test/**/*.test.ts",
      "test-utils/test/**/*.test.ts",
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Sets fast-check's global numRuns from FC_NUM_RUNS when it is set (`pnpm test:stress`).
    setupFiles: ["./vitest.setup.mjs"],
  },
});
