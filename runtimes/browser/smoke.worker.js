// @ts-check
// A dedicated module Worker (started by worker.test.js): runs the core smoke checks in the worker's
// scope, where there is no `window` and no `document`, and posts the report to the page.
import { runCoreSmoke } from "../smoke/core-smoke.js";

const report = await runCoreSmoke();
postMessage({ ...report, scope: globalThis.constructor.name });
