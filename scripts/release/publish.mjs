// @ts-check
// Builds and publishes the public packages of one checkout with pnpm, which rewrites `workspace:`
// ranges to the versions in the tree (`workspace:^` -> `^0.2.0`). A version already in the registry
// is left alone, so re-running a release only publishes what is missing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publicPackages } from "../_workspace.mjs";
import { run } from "./run.mjs";

/**
 * @typedef {object} Target
 * @property {string} registry       registry URL
 * @property {string} [authFile]     an .npmrc with the registry's token; default: the user's own
 * @property {string} [otp]          a one-time password, for accounts with two-factor authentication
 */

/** pnpm's options that point it at `target`. @param {Target} target */
export function registryArgs(target) {
  return ["--registry", target.registry, ...(target.authFile ? ["--npmrc-auth-file", target.authFile] : [])];
}

/**
 * Installs the workspace, offline when the store has everything. In a throwaway checkout
 * (`scratch`), only what building and versioning need: the root's dev dependencies (tsc,
 * changesets) and the public packages', not the examples', bench's or runtimes' (a third of the
 * size, and much less to delete afterwards).
 * @param {string} checkout
 * @param {boolean} scratch
 */
export function installForRelease(checkout, scratch) {
  const filters = scratch
    ? [...publicPackages(checkout).flatMap((pkg) => ["--filter", `./${pkg.dir}`]), "--filter", "{.}"]
    : [];
  run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", ...filters], { cwd: checkout });
}

/**
 * Installs (offline when the store has everything), builds and publishes `checkout`'s public
 * packages, or only those named in `only`. Returns the `name@version`s it published.
 * @param {string} checkout
 * @param {Target & { only?: string[], gitChecks?: boolean }} target
 */
export function buildAndPublish(checkout, { only, gitChecks = false, ...target }) {
  const packages = publicPackages(checkout).filter((pkg) => only === undefined || only.includes(pkg.name));
  if (packages.length === 0) return [];
  installForRelease(checkout, !gitChecks);
  // One tsc -b for every package: it builds the project references in order, once each.
  run(join(checkout, "node_modules", ".bin", "tsc"), ["-b", ...packages.map((pkg) => pkg.dir)], {
    cwd: checkout,
    timeoutMs: 600_000,
  });
  const summary = join(checkout, "pnpm-publish-summary.json");
  rmSync(summary, { force: true });
  // pnpm caches the registry's metadata under its URL; a throwaway cache keeps a local registry's
  // (a new port each run) out of the machine's cache, and costs nothing: only these packages are read.
  const cache = mkdtempSync(join(tmpdir(), "asyncstreams-publish-cache-"));
  try {
    run(
      "pnpm",
      [
        "publish",
        "--recursive",
        ...packages.flatMap((pkg) => ["--filter", pkg.name]),
        ...registryArgs(target),
        ...(target.otp ? ["--otp", target.otp] : []),
        "--report-summary",
        ...(gitChecks ? [] : ["--no-git-checks"]),
      ],
      { cwd: checkout, env: { PNPM_CONFIG_CACHE_DIR: cache } },
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  const published = JSON.parse(readFileSync(summary, "utf8")).publishedPackages ?? [];
  rmSync(summary, { force: true });
  return published.map((/** @type {{ name: string, version: string }} */ pkg) => `${pkg.name}@${pkg.version}`);
}
