// @ts-check
// The workspace's packages, read from pnpm-workspace.yaml and each folder's package.json, without
// running pnpm, so that scripts can ask it of any checkout (a scratch clone, an old release commit).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name
 * @property {string} dir        relative to the workspace root
 * @property {Record<string, any>} manifest  its package.json
 */

/**
 * The workspace packages of the tree at `base`, in folder order.
 * @param {string} base
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(base) {
  const yaml = readFileSync(join(base, "pnpm-workspace.yaml"), "utf8");
  const patterns = [...yaml.matchAll(/^\s*-\s*["']?([^"'\s#]+)["']?\s*$/gm)].map((match) => match[1]);
  const dirs = [];
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) continue;
    if (pattern.endsWith("/*")) {
      const parent = join(base, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory()) dirs.push(join(pattern.slice(0, -2), entry.name));
      }
    } else {
      dirs.push(pattern);
    }
  }
  return dirs
    .filter((dir) => existsSync(join(base, dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(base, dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => typeof manifest.name === "string")
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }));
}

/**
 * The packages that get published: not private, in dependency order (a package after the workspace
 * packages it depends on).
 * @param {string} base
 * @returns {WorkspacePackage[]}
 */
export function publicPackages(base) {
  const packages = workspacePackages(base).filter((pkg) => pkg.manifest.private !== true);
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  /** @type {WorkspacePackage[]} */
  const ordered = [];
  const seen = new Set();
  /** @param {WorkspacePackage} pkg */
  const visit = (pkg) => {
    if (seen.has(pkg.name)) return;
    seen.add(pkg.name);
    for (const dep of Object.keys(internalDependencies(pkg.manifest))) {
      const found = byName.get(dep);
      if (found !== undefined) visit(found);
    }
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg);
  return ordered;
}

/**
 * The `@asyncstreams/*` packages a manifest depends on at run time (dependencies, optional and peer
 * dependencies), with the range it declares.
 * @param {Record<string, any>} manifest
 * @returns {Record<string, string>}
 */
export function internalDependencies(manifest) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (name.startsWith("@asyncstreams/")) out[name] = /** @type {string} */ (range);
    }
  }
  return out;
}

/**
 * The pending changesets: [{ file, releases: Map<name, level>, summary }].
 * @param {string} base
 * @returns {{ file: string, releases: Map<string, string>, summary: string }[]}
 */
export function pendingChangesets(base) {
  const dir = join(base, ".changeset");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`Cannot read .changeset/${file}: no front matter`);
      const releases = new Map();
      for (const line of match[1].split(/\r?\n/)) {
        if (line.trim() === "") continue;
        const entry = /^\s*["']?([^"':]+(?::[^"':]+)?)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
        if (!entry) throw new Error(`Cannot read .changeset/${file}: bad release line ${JSON.stringify(line)}`);
        releases.set(entry[1], entry[2]);
      }
      return { file, releases, summary: match[2].trim() };
    });
}
