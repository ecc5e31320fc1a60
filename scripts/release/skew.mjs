// @ts-check
// The version-skew matrix: each package at HEAD against the last release of each package it depends
// on, and its last release against HEAD of each dependency, installed from the registry with npm as
// a user would (the dependency pinned next to the package, which npm then shares with it, and its
// peer dependencies from outside the project, such as websocket's optional ws, at their ranges). A cell
// that the package's declared range forbids is reported as such and not installed; every other cell
// runs the package's public-API smoke, and must pass: that is how the policy in docs/versioning.md
// is enforced.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { addSmoke, makeProject } from "./project.mjs";
import { inPool, runAsync } from "./run.mjs";

/**
 * @typedef {object} MatrixPackage
 * @property {string} name
 * @property {string} head             version published from HEAD
 * @property {string} [release]        the last release before it, when there is one
 * @property {string} headSmoke        smoke file of HEAD
 * @property {string} releaseSmoke     smoke file of the release (HEAD's when the release had none)
 *
 * @typedef {object} Cell
 * @property {string} package          `name@version`
 * @property {string} against          `name@version` of the dependency, or "(its ranges)" for the baseline
 * @property {"pass" | "fail" | "forbidden" | "same"} result
 * @property {string} detail
 * @property {number} ms
 */

/** The manifest the registry serves for `name@version`. @param {string} registry @param {string} name @param {string} version */
async function manifest(registry, name, version) {
  const response = await fetch(new URL(name.replace("/", "%2f"), registry));
  if (!response.ok) throw new Error(`Cannot read ${name} from the registry: ${response.status}`);
  const document = /** @type {{ versions: Record<string, Record<string, any>> }} */ (await response.json());
  const found = document.versions[version];
  if (found === undefined) throw new Error(`The registry has no ${name}@${version}`);
  return found;
}

/**
 * Installs `pins` into a fresh project, checks that `name` uses the pinned copy of `dependency`, and
 * runs `smoke`.
 * @param {{ work: string, registry: string }} context
 * @param {string} label
 * @param {Record<string, string>} pins
 * @param {string} name
 * @param {string | undefined} dependency
 * @param {string} smoke
 */
async function installAndSmoke(context, label, pins, name, dependency, smoke) {
  const dir = makeProject(join(context.work, "skew", label.replace(/[^a-z0-9.]+/gi, "-")), {
    registry: context.registry,
    dependencies: pins,
  });
  await runAsync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir });
  if (dependency !== undefined) {
    const nested = join(dir, "node_modules", name, "node_modules", dependency);
    const used = existsSync(nested) ? nested : join(dir, "node_modules", dependency);
    const version = JSON.parse(readFileSync(join(used, "package.json"), "utf8")).version;
    if (version !== pins[dependency])
      throw new Error(`${name} got ${dependency}@${version}, not the pinned ${pins[dependency]}`);
  }
  await runAsync("node", [addSmoke(smoke, dir, name)], { cwd: dir, timeoutMs: 60_000 });
}

/**
 * Builds and runs the matrix, a few cells at a time (each is an npm install and a smoke).
 * @param {{ work: string, registry: string }} context
 * @param {MatrixPackage[]} packages  dependency order
 * @returns {Promise<Cell[]>}
 */
export async function runSkewMatrix(context, packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  /** @type {(() => Promise<Cell>)[]} */
  const cells = [];
  /** @param {Omit<Cell, "ms">} cell */
  const settled = (cell) => cells.push(async () => ({ ...cell, ms: 0 }));
  /**
   * @param {MatrixPackage} pkg
   * @param {"head" | "release"} side  which version of `pkg`
   * @param {MatrixPackage | undefined} dep  undefined: the baseline, every dependency as npm resolves it
   */
  const cell = async (pkg, side, dep) => {
    const version = side === "head" ? pkg.head : /** @type {string} */ (pkg.release);
    const depVersion = dep === undefined ? undefined : side === "head" ? dep.release : dep.head;
    const row = {
      package: `${pkg.name}@${version}`,
      against: dep === undefined ? "(latest in its ranges)" : `${dep.name}@${depVersion}`,
    };
    const published = await manifest(context.registry, pkg.name, version);
    if (dep !== undefined && depVersion !== undefined) {
      const range = published.dependencies?.[dep.name];
      if (typeof range !== "string")
        return settled({
          ...row,
          result: "fail",
          detail: `${pkg.name}@${version} does not declare ${dep.name} in dependencies`,
        });
      if (!semver.satisfies(depVersion, range))
        return settled({ ...row, result: "forbidden", detail: `its range ${range} does not admit ${depVersion}` });
    }
    // Its peer dependencies outside the project, optional ones too (ws for websocket's /server), at
    // the declared range: the smoke exercises every entry point, as a user who adds them would.
    const peers = Object.entries(published.peerDependencies ?? {}).filter(([name]) => !byName.has(name));
    const pins = {
      ...Object.fromEntries(peers),
      [pkg.name]: version,
      ...(dep === undefined ? {} : { [dep.name]: /** @type {string} */ (depVersion) }),
    };
    cells.push(async () => {
      const started = performance.now();
      try {
        await installAndSmoke(
          context,
          `${row.package}-${row.against}`,
          pins,
          pkg.name,
          dep?.name,
          side === "head" ? pkg.headSmoke : pkg.releaseSmoke,
        );
        return { ...row, result: "pass", detail: "installed; smoke passed", ms: performance.now() - started };
      } catch (error) {
        const detail = error instanceof Error ? error.message.split("\n").slice(0, 6).join(" / ") : String(error);
        return { ...row, result: "fail", detail, ms: performance.now() - started };
      }
    });
  };
  for (const pkg of packages) {
    await cell(pkg, "head", undefined);
    const headDeps = Object.keys((await manifest(context.registry, pkg.name, pkg.head)).dependencies ?? {}).filter(
      (name) => byName.has(name),
    );
    for (const depName of headDeps) {
      const dep = /** @type {MatrixPackage} */ (byName.get(depName));
      const against = `${dep.name}@${dep.release ?? "(none)"}`;
      if (dep.release === undefined)
        settled({
          package: `${pkg.name}@${pkg.head}`,
          against,
          result: "same",
          detail: "no earlier release of the dependency",
        });
      else if (dep.release === dep.head)
        settled({
          package: `${pkg.name}@${pkg.head}`,
          against,
          result: "same",
          detail: "the dependency did not change since its release: the baseline covers it",
        });
      else await cell(pkg, "head", dep);
    }
    if (pkg.release === undefined || pkg.release === pkg.head) continue;
    const releaseDeps = Object.keys(
      (await manifest(context.registry, pkg.name, pkg.release)).dependencies ?? {},
    ).filter((name) => byName.has(name));
    for (const depName of releaseDeps) await cell(pkg, "release", /** @type {MatrixPackage} */ (byName.get(depName)));
  }
  return inPool(cells, 3);
}

/**
 * Policy checks on the latest version of each package: internal dependencies are plain
 * `dependencies` (never peers) with a caret range that admits the latest version of the dependency
 * (so the latest set installs with one copy of each), and nothing says `workspace:`.
 * @param {string} registry
 * @param {MatrixPackage[]} packages
 * @returns {Promise<string[]>} the violations
 */
export async function checkPolicy(registry, packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const violations = [];
  for (const pkg of packages) {
    const published = await manifest(registry, pkg.name, pkg.head);
    if (JSON.stringify(published).includes("workspace:"))
      violations.push(`${pkg.name}@${pkg.head}: the published manifest says workspace:`);
    for (const field of ["peerDependencies", "optionalDependencies", "devDependencies"]) {
      for (const name of Object.keys(published[field] ?? {})) {
        if (byName.has(name))
          violations.push(`${pkg.name}@${pkg.head}: ${name} is in ${field}; internal packages are plain dependencies`);
      }
    }
    for (const [name, range] of Object.entries(published.dependencies ?? {})) {
      const dep = byName.get(name);
      if (dep === undefined) continue;
      if (!/^\^\d/.test(range))
        violations.push(`${pkg.name}@${pkg.head}: ${name} is ${range}, expected a caret range (workspace:^)`);
      else if (!semver.satisfies(dep.head, range))
        violations.push(
          `${pkg.name}@${pkg.head}: its range ${range} for ${name} does not admit ${name}@${dep.head}, so the latest set cannot share one copy`,
        );
    }
  }
  return violations;
}
