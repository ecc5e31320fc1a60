// @ts-check
// A Vitest reporter for `pnpm test:browser` (runtimes/src/test-browser.mjs): writes, to the file
// named by ASYNCSTREAMS_BROWSER_SUMMARY, every test's browser (the project), file, name, state and
// skip note, plus the errors that belong to no test (a file that failed to load, an unhandled
// rejection), so that the runner can count per package and browser and list every skip.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";

/** @typedef {{ browser: string, file: string, name: string, state: string, note?: string }} TestRow */
/**
 * @typedef {{
 *   tests: TestRow[],
 *   fileErrors: { browser: string, file: string, message: string }[],
 *   unhandledErrors: string[],
 * }} BrowserSummary
 */

/** @implements {import("vitest/node").Reporter} */
export default class SummaryReporter {
  /** @type {string} */
  #root = process.cwd();

  /** @param {import("vitest/node").Vitest} vitest */
  onInit(vitest) {
    this.#root = vitest.config.root;
  }

  /**
   * @param {ReadonlyArray<import("vitest/node").TestModule>} testModules
   * @param {ReadonlyArray<{ message?: string, name?: string }>} unhandledErrors
   */
  onTestRunEnd(testModules, unhandledErrors) {
    const target = process.env.ASYNCSTREAMS_BROWSER_SUMMARY;
    if (target === undefined || target === "") return;
    /** @type {BrowserSummary} */
    const summary = {
      tests: [],
      fileErrors: [],
      unhandledErrors: unhandledErrors.map((error) => `${error.name ?? "Error"}: ${error.message ?? ""}`),
    };
    for (const testModule of testModules) {
      const browser = testModule.project.name;
      const file = relative(this.#root, testModule.moduleId);
      for (const error of testModule.errors()) summary.fileErrors.push({ browser, file, message: error.message });
      for (const testCase of testModule.children.allTests()) {
        const result = testCase.result();
        /** @type {TestRow} */
        const row = { browser, file, name: testCase.fullName, state: result.state };
        if (result.state === "skipped" && result.note !== undefined) row.note = result.note;
        summary.tests.push(row);
      }
    }
    writeFileSync(target, JSON.stringify(summary));
  }
}
