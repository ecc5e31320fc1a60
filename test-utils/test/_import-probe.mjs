// A fresh Node process imports the packages' entry points one after another (argv[4...], the paths
// of their source entry files) and reports, as JSON on stdout, everything each import did that
// anyone could observe: timers, immediates, microtasks and ticks scheduled, handles and other
// resources left open, globals added, warnings emitted; then whether the reader's hidden-class
// warm-up ran at import (it must not) and on the first construction (it must). One process for
// all: an entry's dependencies are then attributed to the first entry that loads them, which is
// enough to name the culprit. Run by import-side-effects.test.ts with the TypeScript source loader.
import { pathToFileURL } from "node:url";

const [readerEntry, keepShapesFile, ...entries] = process.argv.slice(2).map((path) => pathToFileURL(path).href);
let calls = [];
for (const name of ["setTimeout", "setInterval", "setImmediate", "queueMicrotask"]) {
  const original = globalThis[name];
  globalThis[name] = (...args) => {
    calls.push(name);
    return original(...args);
  };
}
const originalNextTick = process.nextTick;
process.nextTick = (...args) => {
  calls.push("process.nextTick");
  return originalNextTick(...args);
};
let warnings = [];
process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));

const report = {};
for (const entry of entries) {
  calls = [];
  warnings = [];
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  const resourcesBefore = process.getActiveResourcesInfo();
  await import(entry);
  await new Promise((resolve) => originalNextTick(resolve)); // a warning is emitted on the next tick
  const resources = process.getActiveResourcesInfo();
  for (const name of resourcesBefore) resources.splice(resources.indexOf(name), 1);
  const globals = Object.getOwnPropertyNames(globalThis).filter((name) => !globalsBefore.has(name));
  report[entry.replace(/^.*\/packages\//, "")] = { calls, resources, globals, warnings };
}
// The warm-up flag lives in the reader's private module; the same URL gives the same instance.
const keepShapes = await import(keepShapesFile);
const warmedAtImport = keepShapes.shapesKept;
const { StreamReader } = await import(readerEntry);
new StreamReader();
console.log(JSON.stringify({ report, warmedAtImport, warmedOnConstruction: keepShapes.shapesKept }));
