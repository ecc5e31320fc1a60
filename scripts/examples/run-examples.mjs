// The child process of check:examples that runs the examples: `node --conditions=@asyncstreams/source
// --import test-utils/loader/register.mjs run-examples.mjs manifest.json results.json`. Each example
// is imported in turn (one process for all: starting Node once per example would cost more than
// every example together); its `console.log(...)` calls were rewritten to `__print(line, ...)`, so
// what each line printed is recorded as values, then compared with the line's output comment.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { matches } from "./output-comment.mjs";

const [manifestPath, resultsPath] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
// Generous: the first example of each package also pays for transpiling its sources, on a busy machine.
const TIMEOUT = 30_000;

/** @type {Map<number, unknown[][]>} source line -> the argument lists printed there */
let printed = new Map();
globalThis.__print = (line, ...args) => {
  if (!printed.has(line)) printed.set(line, []);
  printed.get(line).push(args);
};

// An example's stray error (an 'error' event nobody listens to, a rejection nobody handles) fails that
// example instead of ending the run.
let stray = [];
process.on("uncaughtException", (error) => stray.push(error));
process.on("unhandledRejection", (reason) => stray.push(reason));

const show = (values) => values.map((value) => inspect(value, { breakLength: Infinity, depth: 4 })).join(" ");

const results = [];
for (const example of manifest) {
  printed = new Map();
  stray = [];
  const started = Date.now();
  let timer;
  const outcome = await Promise.race([
    import(pathToFileURL(example.file).href).then(
      () => ({ status: "ok" }),
      (error) => ({
        status: "failed",
        error: error instanceof Error ? (error.stack ?? error.message) : inspect(error),
      }),
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve({ status: "failed", error: `did not finish within ${TIMEOUT} ms` }), TIMEOUT);
    }),
  ]);
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve)); // let a late 'error' event or rejection surface
  if (outcome.status === "ok" && stray.length > 0) {
    outcome.status = "failed";
    outcome.error = `left an unhandled error: ${stray.map((error) => (error instanceof Error ? error.message : inspect(error))).join("; ")}`;
  }
  const mismatches = [];
  if (outcome.status === "ok") {
    for (const { line, calls, raw } of example.asserts) {
      const got = printed.get(line) ?? [];
      const same =
        got.length === calls.length &&
        calls.every((args, i) => got[i].length === args.length && args.every((node, j) => matches(node, got[i][j])));
      if (!same)
        mismatches.push({ line, expected: raw, printed: got.length === 0 ? "nothing" : got.map(show).join(", ") });
    }
  }
  results.push({ source: example.source, ms: Date.now() - started, ...outcome, mismatches });
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2));
// Examples may leave a timer or a socket behind on failure: the results are written, so end here.
process.exit(0);
