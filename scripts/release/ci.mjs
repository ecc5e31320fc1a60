#!/usr/bin/env node
// @ts-check
// CI's release check (`pnpm check:release`): in a scratch clone and against a local Verdaccio,
//   1. publish the last release of every package (from its tag; with no tag yet, the 0.1.0 release
//      commit in seed.json is tagged first, in the clone only);
//   2. release HEAD as maintainers do (release.mjs: changeset version, build, publish, tag); a
//      package changed since its release with no pending changeset gets a patch changeset here, so
//      its HEAD is published and tested (and the summary says so);
//   3. install from the registry in fresh projects (npm, pnpm, Bun, Deno, TypeScript) and run smokes;
//   4. run the version-skew matrix and the versioning policy checks (docs/versioning.md).
// It prints one summary and exits non-zero when anything failed. The real checkout is never touched.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pendingChangesets, publicPackages } from "../_workspace.mjs";
import { runConsumers } from "./consumers.mjs";
import { packageEntries } from "./entries.mjs";
import { formatBytes } from "./project.mjs";
import { buildAndPublish } from "./publish.mjs";
import { startLocalRegistry } from "./registry.mjs";
import { releaseCheckout } from "./release.mjs";
import { git } from "./run.mjs";
import { scratchClone } from "./scratch.mjs";
import { checkPolicy, runSkewMatrix } from "./skew.mjs";
import { releaseTags, tagPackages } from "./tags.mjs";

const root = resolve(import.meta.dirname, "..", "..");
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
/** @param {string} line */
const log = (line) => console.log(`[release ${seconds()}] ${line}`);

/**
 * Publishes the last release of every package to the registry, tagging the seed release first when
 * the repository has no release tag. Returns name -> { version, checkout }.
 * @param {string} clone
 * @param {import("./publish.mjs").Target} target
 * @param {string} work
 */
function publishLastReleases(clone, target, work) {
  let tags = releaseTags(clone);
  /** @type {string[]} */
  let seeded = [];
  if (tags.size === 0) {
    const seed = JSON.parse(readFileSync(join(import.meta.dirname, "seed.json"), "utf8"));
    if (git(clone, ["cat-file", "-t", seed.commit], { allowFailure: true }) !== "commit") {
      log(
        `warning: no release tags and the seed commit ${seed.commit.slice(0, 8)} is not in this clone (shallow?): no last release to compare with`,
      );
      return { releases: new Map(), seeded };
    }
    const checkout = join(work, `release-${seed.commit.slice(0, 8)}`);
    git(clone, ["worktree", "add", "--quiet", "--detach", checkout, seed.commit]);
    seeded = tagPackages(clone, seed.commit, { checkout });
    log(`no release tags: seeded ${seeded.join(", ")} at ${seed.commit.slice(0, 8)} (scratch clone only)`);
    tags = releaseTags(clone);
  }
  /** @type {Map<string, { version: string, checkout: string }>} */
  const releases = new Map();
  /** @type {Map<string, { checkout: string, names: string[] }>} commit -> what to publish from it */
  const byCommit = new Map();
  for (const pkg of publicPackages(clone)) {
    const version = tags.get(pkg.name)?.[0];
    if (version === undefined) continue;
    const commit = git(clone, ["rev-list", "-n", "1", `${pkg.name}@${version}`]);
    let entry = byCommit.get(commit);
    if (entry === undefined) {
      const checkout = join(work, `release-${commit.slice(0, 8)}`);
      if (!existsSync(checkout)) git(clone, ["worktree", "add", "--quiet", "--detach", checkout, commit]);
      entry = { checkout, names: [] };
      byCommit.set(commit, entry);
    }
    entry.names.push(pkg.name);
    releases.set(pkg.name, { version, checkout: entry.checkout });
  }
  for (const [commit, { checkout, names }] of byCommit) {
    const published = buildAndPublish(checkout, { ...target, only: names });
    log(`last releases from ${commit.slice(0, 8)}: published ${published.join(", ")}`);
  }
  return { releases, seeded };
}

/**
 * Adds a patch changeset for every package whose published files changed since its last release
 * and that no pending changeset names. Returns those package names.
 * @param {string} clone
 * @param {Map<string, { version: string }>} releases
 */
function coverUnreleasedChanges(clone, releases) {
  const named = new Set(pendingChangesets(clone).flatMap((changeset) => [...changeset.releases.keys()]));
  const uncovered = [];
  for (const pkg of publicPackages(clone)) {
    const release = releases.get(pkg.name);
    if (release === undefined || named.has(pkg.name)) continue;
    const changed = git(clone, [
      "diff",
      "--name-only",
      `${pkg.name}@${release.version}`,
      "HEAD",
      "--",
      join(pkg.dir, "src"),
      join(pkg.dir, "package.json"),
    ]);
    if (changed !== "") uncovered.push(pkg.name);
  }
  if (uncovered.length > 0) {
    const front = uncovered.map((name) => `"${name}": patch`).join("\n");
    writeFileSync(
      join(clone, ".changeset", "ci-unreleased-changes.md"),
      `---\n${front}\n---\n\nRelease the changes made since the last release (CI rehearsal).\n`,
    );
    git(clone, ["add", "-A"]);
    git(clone, ["commit", "--quiet", "-m", "ci: patch changeset for changes with none"]);
  }
  return uncovered;
}

/** @param {string[]} columns @param {Record<string, string>[]} rows */
function table(columns, rows) {
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? "").length)),
  );
  const line = (/** @type {string[]} */ cells) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index])).join(" | ")} |`;
  return [
    line(columns),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map((row) => line(columns.map((column) => String(row[column] ?? "")))),
  ].join("\n");
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "asyncstreams-release-ci-"));
  // npm caches every tarball it fetches: keep this run's out of the machine's cache. (pnpm keeps
  // the machine's metadata cache, which the offline installs of the workspace need; publish.mjs
  // and the pnpm consumers give it a cache of their own.)
  process.env.npm_config_cache = join(work, "npm-cache");
  const registry = await startLocalRegistry();
  log(`Verdaccio on ${registry.url} (storage in ${registry.dir})`);
  const failures = [];
  try {
    const authFile = join(work, "npmrc");
    writeFileSync(authFile, `${registry.url.replace(/^http:/, "")}:_authToken=${registry.token}\n`);
    const target = { registry: registry.url, authFile };
    const { dir: clone, carried } = scratchClone(root, work);
    log(
      `scratch clone at ${git(clone, ["rev-parse", "--short", "HEAD"])}${carried > 0 ? ` (with ${carried} uncommitted files of the checkout)` : ""}`,
    );

    const { releases } = publishLastReleases(clone, target, work);
    const uncovered = coverUnreleasedChanges(clone, releases);
    if (uncovered.length > 0)
      log(`changed since their release with no pending changeset, patched for this rehearsal: ${uncovered.join(", ")}`);
    const head = releaseCheckout(clone, { ...target, log });

    const packages = publicPackages(clone);
    // Runtime-neutral is judged per entry point: websocket's main entry runs anywhere, its /server
    // entry on Node only. A package counts as neutral when its main entry is.
    const entries = packageEntries(clone, packages);
    const versions = packages.map((pkg) => {
      const own = entries.get(pkg.name) ?? [];
      return {
        name: pkg.name,
        dir: pkg.dir,
        version: pkg.manifest.version,
        neutral: own[0]?.neutral === true,
        entries: own,
      };
    });

    log("consumers");
    const consumers = await runConsumers({ root, work, registry: registry.url, packages: versions });
    for (const consumer of consumers) if (!consumer.ok) failures.push(`consumer ${consumer.name}: ${consumer.detail}`);

    log("version-skew matrix");
    const matrixPackages = packages.map((pkg) => {
      const release = releases.get(pkg.name);
      const headSmoke = join(root, pkg.dir, "smoke", "public-api.mjs");
      const oldSmoke = release && join(release.checkout, pkg.dir, "smoke", "public-api.mjs");
      return {
        name: pkg.name,
        head: pkg.manifest.version,
        release: release?.version,
        headSmoke,
        releaseSmoke: oldSmoke && existsSync(oldSmoke) ? oldSmoke : headSmoke,
      };
    });
    const cells = await runSkewMatrix({ work, registry: registry.url }, matrixPackages);
    for (const cell of cells)
      if (cell.result === "fail") failures.push(`skew ${cell.package} x ${cell.against}: ${cell.detail}`);
    const violations = await checkPolicy(registry.url, matrixPackages);
    failures.push(...violations.map((violation) => `policy: ${violation}`));

    // --- Summary ---------------------------------------------------------------------------------
    console.log("\n## Release rehearsal\n");
    console.log(
      table(
        ["package", "last release", "HEAD", "runs"],
        matrixPackages.map((pkg) => ({
          package: pkg.name,
          "last release": pkg.release ?? "-",
          HEAD: `${pkg.head}${head.published.includes(`${pkg.name}@${pkg.head}`) ? " (published now)" : ""}`,
          runs: (entries.get(pkg.name) ?? [])
            .map(
              (entry) =>
                `${entry.specifier.slice(pkg.name.length) || "main"}: ${entry.neutral ? "any runtime" : "Node"}`,
            )
            .join(", "),
        })),
      ),
    );
    const noSmoke = packages
      .filter((pkg) => !existsSync(join(root, pkg.dir, "smoke", "public-api.mjs")))
      .map((pkg) => pkg.name);
    if (noSmoke.length > 0)
      console.log(
        `\nwarning: no smoke/public-api.mjs in ${noSmoke.join(", ")}: only an import check runs for them (docs/versioning.md, "Adding a package").`,
      );
    if (uncovered.length > 0)
      console.log(
        `\nNo pending changeset for ${uncovered.join(", ")}, changed since their release: rehearsed as patch releases.`,
      );
    console.log("\n## Consumers\n");
    console.log(
      table(
        ["consumer", "result", "install size", "time", "detail"],
        consumers.map((consumer) => ({
          consumer: consumer.name,
          result: consumer.ok ? "pass" : "FAIL",
          "install size": consumer.bytes === undefined ? "-" : formatBytes(consumer.bytes),
          time: `${(consumer.ms / 1000).toFixed(1)} s`,
          detail: consumer.detail.split("\n")[0].slice(0, 160),
        })),
      ),
    );
    console.log("\n## Version-skew matrix\n");
    console.log(
      table(
        ["package", "against", "result", "detail"],
        cells.map((cell) => ({
          ...cell,
          result: cell.result === "fail" ? "FAIL" : cell.result,
          detail: cell.detail.slice(0, 160),
        })),
      ),
    );
    const count = (/** @type {string} */ result) => cells.filter((cell) => cell.result === result).length;
    console.log(
      `\nmatrix: ${count("pass")} pass, ${count("fail")} fail, ${count("forbidden")} forbidden by range, ${count("same")} same as another cell; policy: ${violations.length === 0 ? "ok" : `${violations.length} violations`}`,
    );
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\ncheck:release failed (${seconds()}):\n${failures.map((failure) => `  - ${failure}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`\ncheck:release: registry flow, consumers and skew matrix green in ${seconds()}`);
}

await main();
