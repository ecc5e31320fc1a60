// @ts-check
// A fresh, empty consumer project outside the repository: a package.json, the registry settings
// every client reads (.npmrc for npm, pnpm, Bun and Deno), and helpers to measure what landed.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Makes `dir` a consumer project that gets `@asyncstreams/*` from `registry` and everything else
 * from the machine's usual registry.
 * @param {string} dir
 * @param {{ registry: string, dependencies?: Record<string, string>, files?: Record<string, string> }} options
 */
export function makeProject(dir, { registry, dependencies = {}, files = {} }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, ".npmrc"),
    `@asyncstreams:registry=${registry}\nfund=false\naudit=false\nupdate-notifier=false\n`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * Puts a package's public-API smoke (from the repo, or from an old release's checkout) into the
 * project as `smoke-<short name>.mjs`, and returns that file name. A package without one (`from`
 * missing) gets an import-only smoke: every export is defined.
 * @param {string | undefined} from   path of the smoke file
 * @param {string} dir    the project
 * @param {string} name   the package name
 */
export function addSmoke(from, dir, name) {
  const file = `smoke-${name.split("/").pop()}.mjs`;
  if (from !== undefined && existsSync(from)) {
    copyFileSync(from, join(dir, file));
  } else {
    writeFileSync(
      join(dir, file),
      [
        `// ${name} has no smoke/public-api.mjs: check that it imports and that every export is defined.`,
        `const exports = await import(${JSON.stringify(name)});`,
        `const names = Object.keys(exports);`,
        `const missing = names.filter((key) => exports[key] === undefined);`,
        `if (names.length === 0 || missing.length > 0) throw new Error(\`${name}: \${names.length} exports, undefined: \${missing.join(", ")}\`);`,
        `console.log(\`ok ${name} (import only, \${names.length} exports)\`);`,
        "",
      ].join("\n"),
    );
  }
  return file;
}

/**
 * Bytes on disk under `path` (`du -sk`, so hard links to a store are counted once).
 * @param {string} path
 */
export function diskBytes(path) {
  return Number(execFileSync("du", ["-sk", path], { encoding: "utf8" }).split("\t")[0]) * 1024;
}

/**
 * The packages directly in `node_modules` (scoped ones as `@scope/name`), hidden entries left out.
 * @param {string} dir  the project
 */
export function topLevelPackages(dir) {
  const root = join(dir, "node_modules");
  /** @type {string[]} */
  const names = [];
  for (const entry of readdirSync(root)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) for (const inner of readdirSync(join(root, entry))) names.push(`${entry}/${inner}`);
    else names.push(entry);
  }
  return names.sort();
}

/** `12.3 kB` style. @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
