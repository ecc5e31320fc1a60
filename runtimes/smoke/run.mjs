// @ts-check
// Entry for the server runtimes: `<runtime> smoke/run.mjs` (from runtimes/, so that the bare
// imports resolve through runtimes/node_modules to the packages' dist/). Prints the report as one
// JSON line and exits 1 if a check failed.
import { runCoreSmoke } from "./core-smoke.js";

const report = await runCoreSmoke();
console.log(JSON.stringify(report));
process.exitCode = report.results.every((result) => result.ok) ? 0 : 1;
