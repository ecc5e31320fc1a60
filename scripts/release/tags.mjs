// @ts-check
// Release tags: one per published package version, `@asyncstreams/reader@0.2.0`, as changesets
// names them. The last release of a package is its highest tagged version.
import semver from "semver";
import { publicPackages } from "../_workspace.mjs";
import { git } from "./run.mjs";

/**
 * The release tags in `repo`: package name -> versions, highest first.
 * @param {string} repo
 * @returns {Map<string, string[]>}
 */
export function releaseTags(repo) {
  /** @type {Map<string, string[]>} */
  const out = new Map();
  for (const tag of git(repo, ["tag", "--list", "@asyncstreams/*@*"]).split("\n").filter(Boolean)) {
    const at = tag.lastIndexOf("@");
    const name = tag.slice(0, at);
    const version = tag.slice(at + 1);
    if (semver.valid(version) === null) continue;
    out.set(name, [...(out.get(name) ?? []), version]);
  }
  for (const versions of out.values()) versions.sort(semver.rcompare);
  return out;
}

/**
 * Tags every public package of the tree at `commit` with its version there, unless that tag exists.
 * Returns the tags it created.
 * @param {string} repo
 * @param {string} commit
 * @param {{ checkout: string }} tree  a checkout of `commit` to read the packages from
 */
export function tagPackages(repo, commit, { checkout }) {
  const existing = new Set(git(repo, ["tag", "--list", "@asyncstreams/*@*"]).split("\n"));
  const created = [];
  for (const pkg of publicPackages(checkout)) {
    const tag = `${pkg.name}@${pkg.manifest.version}`;
    if (existing.has(tag)) continue;
    git(repo, ["tag", "-a", tag, "-m", tag, commit]);
    created.push(tag);
  }
  return created;
}
