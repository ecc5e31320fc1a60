#!/usr/bin/env node
// Every ```ts block under an `@example` TSDoc tag in packages/*/src must compile and run, and every class,
// function and public method a package exports must have at least one such block (STYLE.md: "an
// @example that compiles"; denoland/std's check_docs runs them). Then the blocks run: see RUNNING below.
// Each block becomes its own module in node_modules/.cache/tsdoc-examples/ (git-ignored with
// node_modules), importing the packages by their public names through a node_modules/ of symlinks
// made there (with the packages' own third-party dependencies, such as `ws`), and the whole set is
// type-checked by the repo's own TypeScript in one `tsc --noEmit` run: tsconfig.base.json (strict,
// module node20, ...) plus Node's types. Packages resolve through the `@asyncstreams/source` export
// condition, so no build is needed. A failure is reported at the file:line of the block's source
// line, not of the generated file.
//
// RUNNING. Every block runs, in one child Node process that loads the TypeScript sources (no build),
// unless it has a line `// @example-no-run: <reason>` (a block that needs a peer it cannot have on
// loopback, a file, a Deno global...): those are counted and listed by reason. The run's working
// directory holds ca.pem, server.pem and server-key.pem (test-utils/certs: localhost and 127.0.0.1),
// so an example may serve and trust TLS and QUIC on loopback by reading them as a user's program
// would. A `console.log(...)` line with an output comment, at its end or on the comment-only line
// right below it, asserts what it prints: `console.log(x); // "hello\n"`, `// 5`,
// `// { high: 1024, low: 256 }`, `// 2, 1` (the line ran twice), `// "ECONNRESET" "EPIPE"` (two
// arguments), `// null: EOF` (prose after a colon). The comparison is of values, not of text: the
// printed argument must equal the JSON-ish value in the comment (a string is a string,
// `Uint8Array [1, 2]` a Uint8Array; see examples/output-comment.mjs).
// "e.g." comments illustrate (a port number) and are not asserted. A block fails when it throws,
// runs past 30 s, or prints anything else on an asserted line.
//
// CANCEL SAFETY. Every exported function and public method (of a class or an interface) that returns a
// promise has a "Cancel safety:" paragraph in its TSDoc, saying what an abort leaves behind (tokio's
// "# Cancel safety" sections); `@inheritDoc` members take their interface's.
//
// Usage: node scripts/check-examples.mjs [--keep]   (--keep leaves the generated files for a look)
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseOutputComment } from "./examples/output-comment.mjs";
import { awaitablesWithoutCancelSafety, publicClassesAndFunctions } from "./examples/tsdoc-coverage.mjs";

const root = resolve(import.meta.dirname, "..");
const packagesDir = join(root, "packages");
const work = join(root, "node_modules", ".cache", "tsdoc-examples");
const keep = process.argv.includes("--keep");

/** The package folders with a package.json, and their public names. */
function listPackages() {
  return readdirSync(packagesDir)
    .sort()
    .map((folder) => join(packagesDir, folder))
    .filter((dir) => existsSync(join(dir, "package.json")) && existsSync(join(dir, "src")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
}

/** Every .ts file under `dir`, sorted, declaration files excluded. */
function listSources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/**
 * The ```ts / ```typescript fences inside `@example` sections of every `/** ... *\/` comment in
 * `text`, each with the 1-based source line of every code line.
 */
function extractExamples(text) {
  const blocks = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, match.index).split("\n").length;
    const lines = match[0].split("\n");
    let inExample = false;
    let fence = null; // { lines: [], sourceLines: [] } while inside a ts fence
    lines.forEach((raw, index) => {
      // Strip the comment frame: "/**", " * ", " */". One space after the star belongs to it.
      const line = raw
        .replace(/^\s*\/\*\*\s?/, "")
        .replace(/\s*\*\/\s*$/, "")
        .replace(/^\s*\*(?: |$)/, "");
      const sourceLine = firstLine + index;
      if (fence !== null) {
        if (/^```\s*$/.test(line)) {
          blocks.push(fence);
          fence = null;
        } else {
          fence.lines.push(line);
          fence.sourceLines.push(sourceLine);
        }
        return;
      }
      if (/^@example\b/.test(line)) inExample = true;
      else if (/^@\w+/.test(line)) inExample = false;
      if (inExample && /^```(ts|typescript)\s*$/.test(line)) fence = { line: sourceLine, lines: [], sourceLines: [] };
    });
    if (fence !== null) blocks.push({ ...fence, unclosed: true });
  }
  return blocks;
}

/** Where a line's `//` comment starts, outside string and template literals; -1 when it has none. */
function commentStart(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== null) {
      if (char === "\\") i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === "/" && line[i + 1] === "/") return i;
  }
  return -1;
}

/**
 * How a block runs: `{ noRun: reason }`, or the lines to run (each `console.log(` made a
 * `__print(<source line>, ` call) with the output comments to assert. Problems go to `problems`.
 */
function planRun(block, rel, problems) {
  const noRun = block.lines
    .map((line) => /^\s*\/\/\s*@example-no-run:\s*(.*)$/.exec(line))
    .find((match) => match !== null);
  if (noRun) {
    if (noRun[1].trim() === "") problems.push(`${rel}:${block.line}: @example-no-run needs a reason`);
    return { noRun: noRun[1].trim() };
  }
  const asserts = [];
  let illustrations = 0;
  const lines = block.lines.map((line, index) => {
    const sourceLine = block.sourceLines[index];
    if (!line.includes("console.log(")) return line;
    const at = commentStart(line);
    let comment = at === -1 ? undefined : line.slice(at + 2);
    const next = block.lines[index + 1];
    if (comment === undefined && next !== undefined && /^\s*\/\/(?!\s*@example)/.test(next))
      comment = next.replace(/^\s*\/\//, "");
    if (comment !== undefined) {
      try {
        const parsed = parseOutputComment(comment);
        if (parsed.illustration) illustrations += 1;
        else asserts.push({ line: sourceLine, calls: parsed.calls, raw: comment.trim() });
      } catch (error) {
        problems.push(
          `${rel}:${sourceLine}: ${error.message} (write the printed value, or "e.g." for an illustration)`,
        );
      }
    }
    return line.replaceAll("console.log(", `__print(${sourceLine}, `);
  });
  return { lines, asserts, illustrations };
}

/**
 * Links a package's own third-party dependencies (`ws`, `@types/ws`, ...) into the examples'
 * node_modules/, first package wins: an example imports what its users install beside the package
 * (on Node 20, `ws`'s `WebSocket` for the WebSocket client, as the package's docs say).
 */
function linkDependencies(dir) {
  const modules = join(dir, "node_modules");
  if (!existsSync(modules)) return;
  for (const name of readdirSync(modules)) {
    if (name === "@asyncstreams" || name.startsWith(".")) continue;
    const names = name.startsWith("@") ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name];
    for (const full of names) {
      const link = join(work, "node_modules", ...full.split("/"));
      if (existsSync(link)) continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(modules, ...full.split("/")), link, "dir");
    }
  }
}

/** The entry points of a package: the `@asyncstreams/source` target of every export. */
function entryPoints(dir, manifest) {
  return Object.values(manifest.exports ?? {})
    .map((conditions) => (typeof conditions === "object" ? conditions["@asyncstreams/source"] : undefined))
    .filter((path) => typeof path === "string")
    .map((path) => join(dir, path));
}

// --- Extract ---------------------------------------------------------------------------------------

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// node20 decides ESM vs CommonJS from the nearest package.json: ESM, so top-level await works.
writeFileSync(
  join(work, "package.json"),
  `${JSON.stringify({ name: "tsdoc-examples", private: true, type: "module" }, null, 2)}\n`,
);

const packages = listPackages();
const generated = new Map(); // generated file -> { source, sourceLines, headerLines }
const problems = [];
const missing = [];
const toRun = []; // { file, source, asserts }
const noCancelSafety = [];
const notRun = []; // { source, reason }
let assertCount = 0;
let illustrationCount = 0;
let methodCount = 0;
let exportedCount = 0;
let filesWithExamples = 0;

for (const { dir, manifest } of packages) {
  const link = join(work, "node_modules", ...manifest.name.split("/"));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(dir, link, "dir");
  linkDependencies(dir);
  for (const file of listSources(join(dir, "src"))) {
    // Public files only: `_private` helpers and the conformance kit's internals are not API.
    if (!/[\\/]_[^\\/]*$/.test(file) && !/[\\/]testing[\\/]_/.test(file))
      noCancelSafety.push(...awaitablesWithoutCancelSafety(file, root));
    const blocks = extractExamples(readFileSync(file, "utf8"));
    if (blocks.length > 0) filesWithExamples += 1;
    const rel = relative(root, file);
    for (const block of blocks) {
      if (block.unclosed) {
        problems.push(`${rel}:${block.line}: the \`\`\`ts fence of an @example is never closed`);
        continue;
      }
      const name = `${rel
        .replace(/^packages\//, "")
        .replace(/\.ts$/, "")
        .replace(/[/\\]/g, "__")}__L${block.line}.ts`;
      const header = [`// From ${rel}:${block.line}. Generated by scripts/check-examples.mjs; edit the TSDoc there.`];
      // `export {}` makes every block a module, so blocks may reuse names and use top-level await.
      writeFileSync(join(work, name), `${[...header, ...block.lines, "export {};"].join("\n")}\n`);
      generated.set(name, { source: rel, sourceLines: block.sourceLines, headerLines: header.length });
      const plan = planRun(block, rel, problems);
      if (plan.noRun !== undefined) {
        notRun.push({ source: `${rel}:${block.line}`, reason: plan.noRun });
      } else {
        const runFile = join(work, name.replace(/\.ts$/, ".run.ts"));
        writeFileSync(runFile, `${[...header, ...plan.lines, "export {};"].join("\n")}\n`);
        toRun.push({ file: runFile, source: `${rel}:${block.line}`, asserts: plan.asserts });
        assertCount += plan.asserts.length;
        illustrationCount += plan.illustrations;
      }
    }
  }
  for (const entry of entryPoints(dir, manifest)) {
    for (const item of publicClassesAndFunctions(entry)) {
      if (item.method) methodCount += 1;
      else exportedCount += 1;
      if (!item.documented)
        missing.push(
          `${relative(root, item.file)}:${item.line}: ${manifest.name} exports ${item.name} without an @example`,
        );
    }
  }
}

// --- Type-check ------------------------------------------------------------------------------------

const tsconfig = {
  extends: join(root, "tsconfig.base.json"),
  compilerOptions: {
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    isolatedDeclarations: false,
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    customConditions: ["@asyncstreams/source"],
  },
  files: [...generated.keys()],
};
writeFileSync(join(work, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);

const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(work, "tsconfig.json"), "--pretty", "false"],
  {
    cwd: work,
    encoding: "utf8",
  },
);
const output = `${tsc.stdout ?? ""}${tsc.stderr ?? ""}`.trim();
const errors = [];
let current = null;
for (const line of output.split("\n")) {
  const match = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+: .*)$/.exec(line);
  if (match) {
    const [, file, lineText, column, , message] = match;
    const block = generated.get(relative(work, resolve(work, file)));
    const generatedLine = Number(lineText);
    const sourceLine = block?.sourceLines[generatedLine - block.headerLines - 1];
    // Columns shift by the stripped " * " frame; the line is what matters.
    current =
      block && sourceLine !== undefined
        ? `${block.source}:${sourceLine}: ${message}`
        : `${relative(root, resolve(work, file))}:${generatedLine}:${column}: ${message}`;
    errors.push(current);
  } else if (current !== null && /^\s/.test(line) && line.trim() !== "") {
    errors[errors.length - 1] += `\n    ${line.trim()}`; // continuation of a multi-line message
  } else if (line.trim() !== "") {
    errors.push(line);
  }
}
if (tsc.status !== 0 && errors.length === 0) errors.push(`tsc exited with ${tsc.status}: ${output || "no output"}`);

// --- Run -------------------------------------------------------------------------------------------

const failures = [];
if (errors.length === 0) {
  // Examples that need certificates read ca.pem, server.pem and server-key.pem from the working
  // directory, as a user's program would: the test certificates (localhost and 127.0.0.1) are put there.
  for (const name of ["ca.pem", "server.pem", "server-key.pem"]) {
    copyFileSync(join(root, "test-utils", "certs", name), join(work, name));
  }
  const manifestPath = join(work, "run-manifest.json");
  const resultsPath = join(work, "run-results.json");
  writeFileSync(manifestPath, JSON.stringify(toRun));
  const register = pathToFileURL(join(root, "test-utils", "loader", "register.mjs")).href;
  const runner = join(import.meta.dirname, "examples", "run-examples.mjs");
  // --no-warnings: short examples leave writers to the garbage collector, whose ResourceWarnings would
  // otherwise fill the log without saying which example they came from.
  const run = spawnSync(
    process.execPath,
    ["--no-warnings", "--conditions=@asyncstreams/source", "--import", register, runner, manifestPath, resultsPath],
    {
      cwd: work,
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 10 * 60_000,
    },
  );
  if (run.status !== 0 || !existsSync(resultsPath))
    failures.push(`the example runner exited with ${run.status ?? run.signal}`);
  else {
    for (const result of JSON.parse(readFileSync(resultsPath, "utf8"))) {
      if (result.status !== "ok")
        failures.push(`${result.source}: ${result.error.split("\n").slice(0, 4).join("\n    ")}`);
      for (const mismatch of result.mismatches) {
        failures.push(
          `${result.source.replace(/:\d+$/, "")}:${mismatch.line}: printed ${mismatch.printed}, but its comment says ${mismatch.expected}`,
        );
      }
    }
  }
}

if (!keep) rmSync(work, { recursive: true, force: true });

// --- Report ----------------------------------------------------------------------------------------

const reasons = new Map();
for (const { reason } of notRun) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
const summary =
  `${generated.size} @example blocks from ${filesWithExamples} source files: ${toRun.length} run (${assertCount} output comments asserted, ${illustrationCount} illustrations), ` +
  `${notRun.length} not run; ${exportedCount} exported classes, functions and constants; ${methodCount} public methods`;
if (
  errors.length > 0 ||
  problems.length > 0 ||
  missing.length > 0 ||
  failures.length > 0 ||
  noCancelSafety.length > 0
) {
  if (errors.length > 0)
    console.error(`@example blocks that do not compile:\n${errors.map((error) => `  ${error}`).join("\n")}`);
  if (problems.length > 0)
    console.error(`Malformed @example blocks:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  if (missing.length > 0)
    console.error(
      `Exported classes, functions, constants and public methods without an @example:\n${missing.map((item) => `  ${item}`).join("\n")}`,
    );
  if (noCancelSafety.length > 0)
    console.error(
      `Awaitables without a "Cancel safety:" paragraph:\n${noCancelSafety.map((item) => `  ${item}`).join("\n")}`,
    );
  if (failures.length > 0)
    console.error(`@example blocks that fail when run:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
  console.error(`\ncheck:examples failed: ${summary}`);
  process.exit(1);
}
console.log(`check:examples: ${summary}`);
console.log(
  `Not run (${notRun.length}), by reason:\n${[...reasons].map(([reason, count]) => `  ${count} × ${reason}`).join("\n")}`,
);
console.log(
  "Every block compiles, every run block finishes and prints what its comments say, every export has an @example, and every awaitable says what an abort leaves behind",
);
