// @ts-check
// The entry points of a package (`exports` keys) and whether each runs on any runtime: an entry is
// Node-only when a module it reaches, statically or through import(), imports a `node:` module or
// the main entry of a Node-only package. Judged per entry, not per package, so that
// `@asyncstreams/websocket` (runtime-neutral) counts as such although its `/server` entry is Node's.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * @typedef {object} Entry
 * @property {string} specifier   what a user imports: `@asyncstreams/websocket/server`
 * @property {boolean} neutral    runs on any runtime
 */

/** Relative and bare specifiers a source file imports (static, re-export, dynamic). @param {string} text */
function importedSpecifiers(text) {
  const found = [];
  for (const match of text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/gm))
    found.push(match[1]);
  for (const match of text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) found.push(match[1]);
  for (const match of text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(match[1]);
  return found;
}

/**
 * The source file a relative specifier names (`./x.js` is `./x.ts` in src).
 * @param {string} from
 * @param {string} specifier
 */
function sourceFile(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")])
    if (existsSync(candidate) && candidate.endsWith(".ts")) return candidate;
  return undefined;
}

/**
 * Whether the module graph from `file` reaches `node:` or a Node-only package.
 * @param {string} file
 * @param {(name: string) => boolean} packageIsNodeOnly  for bare specifiers
 */
function reachesNode(file, packageIsNodeOnly) {
  const seen = new Set();
  const queue = [file];
  while (queue.length > 0) {
    const current = /** @type {string} */ (queue.pop());
    if (seen.has(current)) continue;
    seen.add(current);
    for (const specifier of importedSpecifiers(readFileSync(current, "utf8"))) {
      if (specifier.startsWith("node:")) return true;
      if (specifier.startsWith(".")) {
        const next = sourceFile(current, specifier);
        if (next !== undefined) queue.push(next);
      } else if (packageIsNodeOnly(specifier)) return true;
    }
  }
  return false;
}

/**
 * The entries of every package, judged in dependency order (`packages` as `publicPackages` gives
 * them). Returns name -> entries, the main entry first.
 * @param {string} checkout
 * @param {{ name: string, dir: string, manifest: Record<string, any> }[]} packages
 * @returns {Map<string, Entry[]>}
 */
export function packageEntries(checkout, packages) {
  /** @type {Map<string, Entry[]>} */
  const out = new Map();
  /** Whether a bare specifier names a Node-only entry of a package judged before (the main entry or a subpath). */
  const nodeOnly = (/** @type {string} */ specifier) => {
    const name = specifier
      .split("/")
      .slice(0, specifier.startsWith("@") ? 2 : 1)
      .join("/");
    const entries = out.get(name);
    if (entries === undefined) return false; // not one of ours: judged by what this package imports itself
    const subpath = specifier.slice(name.length) === "" ? "" : `/${specifier.slice(name.length + 1)}`;
    return !(entries.find((entry) => entry.specifier === `${name}${subpath}`) ?? entries[0]).neutral;
  };
  for (const pkg of packages) {
    const exports = pkg.manifest.exports ?? { ".": { "@asyncstreams/source": "./src/index.ts" } };
    /** @type {Entry[]} */
    const entries = [];
    for (const [key, target] of Object.entries(exports)) {
      const source = typeof target === "object" && target !== null ? target["@asyncstreams/source"] : undefined;
      const specifier = key === "." ? pkg.name : `${pkg.name}${key.slice(1)}`;
      const file = typeof source === "string" ? join(checkout, pkg.dir, source) : undefined;
      // Without a source file to follow, assume Node: the runtime-neutral consumers would fail otherwise.
      entries.push({ specifier, neutral: file !== undefined && existsSync(file) && !reachesNode(file, nodeOnly) });
    }
    entries.sort((a, b) => Number(b.specifier === pkg.name) - Number(a.specifier === pkg.name));
    out.set(pkg.name, entries);
  }
  return out;
}
