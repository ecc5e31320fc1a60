#!/usr/bin/env node
// Every ```ts block under an `@example` TSDoc tag in packages/*/src must compile, and every class and
// function a package exports must have at least one such block (STYLE.md: "an @example that
// compiles"). Each block becomes its own module in node_modules/.cache/tsdoc-examples/ (git-ignored
// with node_modules), importing the packages by their public names through a node_modules/ of
// symlinks made there, and the whole set is type-checked by the repo's own TypeScript in one
// `tsc --noEmit` run: tsconfig.base.json (strict, module node20, ...) plus Node's types. Packages
// resolve through the `@asyncstreams/source` export condition, so no build is needed. A failure is
// reported at the file:line of the block's source line, not of the generated file.
//
// Usage: node scripts/check-examples.mjs [--keep]   (--keep leaves the generated files for a look)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

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
      const line = raw.replace(/^\s*\/\*\*\s?/, "").replace(/\s*\*\/\s*$/, "").replace(/^\s*\*(?: |$)/, "");
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

/** Whether a node's own TSDoc (any of its comments) has an `@example` tag. */
function hasExample(node) {
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === "example");
}

/**
 * The public classes, functions and constants of one entry point: its non-type re-exports, followed
 * to their declarations. Returns [{ name, file, line, documented }].
 */
function publicClassesAndFunctions(entry) {
  const found = [];
  const seen = new Set();
  const visit = (file, wanted) => {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        const target = resolve(dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, ".ts"));
        const names = statement.exportClause.elements.filter((element) => !element.isTypeOnly).map((element) => (element.propertyName ?? element.name).text);
        if (names.length > 0 && existsSync(target)) visit(target, new Set(names));
        continue;
      }
      const exported = ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export;
      if (!exported && wanted === undefined) continue;
      // Exported constants (`DEFAULT_LIMIT`, `portableByteSearch`) are API too: held to the same rule.
      const declarations = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.filter((declaration) => ts.isIdentifier(declaration.name))
        : (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name
          ? [statement]
          : [];
      for (const declaration of declarations) {
        const name = declaration.name.text;
        if (wanted !== undefined && !wanted.has(name)) continue;
        const key = `${file}#${name}`;
        const line = source.getLineAndCharacterOfPosition(declaration.getStart()).line + 1;
        // Overloads: the name is documented when any of its declarations has an example.
        const previous = found.find((item) => item.key === key);
        if (previous) previous.documented ||= hasExample(declaration);
        else if (!seen.has(key)) found.push({ key, name, file, line, documented: hasExample(declaration) });
        seen.add(key);
      }
    }
  };
  visit(entry, undefined);
  return found;
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
writeFileSync(join(work, "package.json"), `${JSON.stringify({ name: "tsdoc-examples", private: true, type: "module" }, null, 2)}\n`);

const packages = listPackages();
const generated = new Map(); // generated file -> { source, sourceLines, headerLines }
const problems = [];
const missing = [];
let exportedCount = 0;
let filesWithExamples = 0;

for (const { dir, manifest } of packages) {
  const link = join(work, "node_modules", ...manifest.name.split("/"));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(dir, link, "dir");
  for (const file of listSources(join(dir, "src"))) {
    const blocks = extractExamples(readFileSync(file, "utf8"));
    if (blocks.length > 0) filesWithExamples += 1;
    const rel = relative(root, file);
    for (const block of blocks) {
      if (block.unclosed) {
        problems.push(`${rel}:${block.line}: the \`\`\`ts fence of an @example is never closed`);
        continue;
      }
      const name = `${rel.replace(/^packages\//, "").replace(/\.ts$/, "").replace(/[/\\]/g, "__")}__L${block.line}.ts`;
      const header = [`// From ${rel}:${block.line}. Generated by scripts/check-examples.mjs; edit the TSDoc there.`];
      // `export {}` makes every block a module, so blocks may reuse names and use top-level await.
      writeFileSync(join(work, name), `${[...header, ...block.lines, "export {};"].join("\n")}\n`);
      generated.set(name, { source: rel, sourceLines: block.sourceLines, headerLines: header.length });
    }
  }
  for (const entry of entryPoints(dir, manifest)) {
    for (const item of publicClassesAndFunctions(entry)) {
      exportedCount += 1;
      if (!item.documented) missing.push(`${relative(root, item.file)}:${item.line}: ${manifest.name} exports ${item.name} without an @example`);
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

const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(work, "tsconfig.json"), "--pretty", "false"], {
  cwd: work,
  encoding: "utf8",
});
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
    current = block && sourceLine !== undefined ? `${block.source}:${sourceLine}: ${message}` : `${relative(root, resolve(work, file))}:${generatedLine}:${column}: ${message}`;
    errors.push(current);
  } else if (current !== null && /^\s/.test(line) && line.trim() !== "") {
    errors[errors.length - 1] += `\n    ${line.trim()}`; // continuation of a multi-line message
  } else if (line.trim() !== "") {
    errors.push(line);
  }
}
if (tsc.status !== 0 && errors.length === 0) errors.push(`tsc exited with ${tsc.status}: ${output || "no output"}`);

if (!keep) rmSync(work, { recursive: true, force: true });

// --- Report ----------------------------------------------------------------------------------------

const summary = `${generated.size} @example blocks from ${filesWithExamples} source files; ${exportedCount} exported classes, functions and constants`;
if (errors.length > 0 || problems.length > 0 || missing.length > 0) {
  if (errors.length > 0) console.error(`@example blocks that do not compile:\n${errors.map((error) => `  ${error}`).join("\n")}`);
  if (problems.length > 0) console.error(`Malformed @example blocks:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  if (missing.length > 0) console.error(`Exported classes, functions and constants without an @example:\n${missing.map((item) => `  ${item}`).join("\n")}`);
  console.error(`\ncheck:examples failed: ${summary}`);
  process.exit(1);
}
console.log(`check:examples: ${summary}; every block compiles and every export has an @example`);
