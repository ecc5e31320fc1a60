// @ts-check
// Vitest browser mode (`pnpm test:browser`): the core packages' own test files, unchanged, in
// headless Chromium and Firefox (Debian's builds, driven by Playwright), plus the smoke checks in a
// module Web Worker. See docs/runtimes.md, "Browsers".
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  // The browser is a client: Vite resolves its imports with `resolve.conditions`, not
  // `ssr.resolve.conditions` as on Node, so the sources' condition goes here, before Vite's defaults.
  resolve: { conditions: ["@asyncstreams/source", "module", "browser", "development|production"] },
  // The packages are compiled for ES2022 (tsconfig.base.json); the tests are too, here, because
  // Firefox ESR 140 cannot parse `using` declarations (Node's runs lower them for its `node18` target).
  oxc: { target: "es2022" },
  test: {
    include: ["packages/{buffer,reader,writer,protocol}/test/**/*.test.ts", "runtimes/browser/**/*.test.js"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ["./vitest.setup.mjs"],
    browser: {
      enabled: true,
      headless: true,
      // Failure screenshots would land in the tree; the assertion messages say what failed.
      screenshotFailures: false,
      api: { port: 0, host: "127.0.0.1" },
      instances: [
        { browser: "chromium", provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH } }) },
        // Firefox through WebDriver BiDi: Playwright's `moz-firefox` channel with Debian's firefox-esr
        // (patches/playwright-core@1.64.1.patch). Under automation Firefox records an async stack at
        // every `await`, which doubles the cost of promise-heavy tests; a user's Firefox does not
        // (docs/runtimes.md, difference 13), so neither does this one.
        {
          browser: "firefox",
          provider: playwright({
            launchOptions: {
              channel: "moz-firefox",
              executablePath: FIREFOX_PATH,
              firefoxUserPrefs: { "javascript.options.asyncstack": false },
            },
          }),
        },
      ],
    },
  },
});
