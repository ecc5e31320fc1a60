#!/usr/bin/env node
// @ts-check
// The release: `changeset version` (when changesets are pending, committed as one release commit),
// build, `pnpm publish` of every public package whose version the registry does not have yet, and a
// tag per published package (`@asyncstreams/reader@0.2.0`). How maintainers release, against the
// real registry; CI runs the same steps against a local Verdaccio in a scratch clone
// (scripts/release/ci.mjs). See docs/releasing.md.
//
//   node scripts/release/release.mjs --registry https://registry.npmjs.org/
//   node scripts/release/release.mjs --registry https://registry.npmjs.org/ --at fd7b704
//                                                # tag and publish the packages as they were at a
//                                                # commit (the 0.1.0 release, never published)
//   node scripts/release/release.mjs --local     # rehearsal: local Verdaccio, scratch clone
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pendingChangesets, publicPackages } from "../_workspace.mjs";
import { buildAndPublish, installForRelease } from "./publish.mjs";
import { startLocalRegistry } from "./registry.mjs";
import { git, run } from "./run.mjs";
import { scratchClone } from "./scratch.mjs";
import { tagPackages } from "./tags.mjs";

/**
 * Versions, builds, publishes and tags `checkout` (a git checkout with the workspace installed).
 * @param {string} checkout
 * @param {import("./publish.mjs").Target & { gitChecks?: boolean, log?: (line: string) => void }} target
 * @returns {{ versioned: boolean, published: string[], tags: string[] }}
 */
export function releaseCheckout(checkout, { log = console.log, ...target }) {
  const pending = pendingChangesets(checkout);
  let versioned = false;
  if (pending.length > 0) {
    log(`changeset version: ${pending.length} pending changesets`);
    installForRelease(checkout, target.gitChecks !== true);
    run(join(checkout, "node_modules", ".bin", "changeset"), ["version"], { cwd: checkout, env: { CI: "true" } });
    const versions = publicPackages(checkout).map((pkg) => `${pkg.name}@${pkg.manifest.version}`);
    git(checkout, ["add", "-A"]);
    git(checkout, ["commit", "--quiet", "-m", `release: version packages\n\n${versions.join("\n")}`]);
    versioned = true;
  }
  const published = buildAndPublish(checkout, target);
  log(
    published.length === 0 ? "publish: every version is already in the registry" : `published ${published.join(", ")}`,
  );
  const tags = tagPackages(checkout, "HEAD", { checkout });
  log(tags.length === 0 ? "tags: every version is already tagged" : `tagged ${tags.join(", ")}`);
  return { versioned, published, tags };
}

/**
 * Tags every public package at `commit` with its version there and publishes those versions (the
 * ones the registry lacks), built from a temporary worktree of `commit`.
 * @param {string} repo
 * @param {string} commit
 * @param {import("./publish.mjs").Target} target
 */
export function releaseCommit(repo, commit, target) {
  const checkout = mkdtempSync(join(tmpdir(), "asyncstreams-release-at-"));
  git(repo, ["worktree", "add", "--quiet", "--detach", checkout, commit]);
  try {
    const tags = tagPackages(repo, commit, { checkout });
    const published = buildAndPublish(checkout, target);
    return { tags, published };
  } finally {
    git(repo, ["worktree", "remove", "--force", checkout]);
    rmSync(checkout, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      registry: { type: "string" },
      at: { type: "string" },
      otp: { type: "string" },
      local: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || (values.registry === undefined) === !values.local) {
    console.log(
      [
        "usage: node scripts/release/release.mjs --registry <url> [--otp <code>] release this checkout",
        "       node scripts/release/release.mjs --registry <url> --at <commit>  tag and publish the packages as they were at <commit>",
        "       node scripts/release/release.mjs --local                        rehearse in a scratch clone against a local Verdaccio",
      ].join("\n"),
    );
    process.exit(values.help ? 0 : 2);
  }
  const root = resolve(import.meta.dirname, "..", "..");
  if (values.registry !== undefined && values.at !== undefined) {
    const { tags, published } = releaseCommit(root, values.at, { registry: values.registry, otp: values.otp });
    console.log(`tagged ${tags.join(", ") || "nothing new"}; published ${published.join(", ") || "nothing new"}`);
    console.log("Now push the tags: git push --tags");
    return;
  }
  if (values.registry !== undefined) {
    // The real thing: the maintainer's own npm credentials (~/.npmrc), pnpm's git checks on.
    releaseCheckout(root, { registry: values.registry, otp: values.otp, gitChecks: true });
    console.log("Now push the release commit and its tags: git push --follow-tags");
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "asyncstreams-release-"));
  const registry = await startLocalRegistry();
  try {
    const authFile = join(work, "npmrc");
    writeFileSync(authFile, `${registry.url.replace(/^http:/, "")}:_authToken=${registry.token}\n`);
    const { dir } = scratchClone(root, work);
    releaseCheckout(dir, { registry: registry.url, authFile });
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
