#!/usr/bin/env node
// A dry run of the next release: copies the working tree (tracked and untracked files that git does
// not ignore, so changesets not yet committed count) to a temp dir, runs `changeset version` there,
// and checks what it did against what the pending changesets and .changeset/config.json say:
//   - every package named in a changeset is bumped to the highest level any changeset gives it;
//   - every other package is untouched, except a dependent that changesets' own rule bumps: a
//     dependency (dependencies/optionalDependencies; peers bump major) whose new version leaves the
//     dependent's range (`workspace:^` means `^<old version>`), transitively, skipping `ignore`d
//     packages and, when `privatePackages.version` is false, private ones;
//   - every bumped package gets a CHANGELOG.md with a section for its new version, and only bumped
//     packages' files change (package.json, CHANGELOG.md) besides the consumed changeset files;
//   - no `workspace:` protocol leaks into a version or a changelog, and `workspace:` ranges stay as
//     they were (pnpm rewrites them at publish time).
// It prints the version table. The working tree is never touched. It needs no network and no build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pendingChangesets, workspacePackages } from "./_workspace.mjs";

const root = resolve(import.meta.dirname, "..");
// The semver that changesets itself uses, so ranges are judged exactly as it judges them.
const semver = createRequire(createRequire(import.meta.url).resolve("@changesets/cli/package.json"))("semver");
const LEVELS = ["none", "patch", "minor", "major"];
const DEPENDENCY_TYPES = ["dependencies", "optionalDependencies", "peerDependencies", "devDependencies"];

function git(args) {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`Cannot run git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** The range a dependent declares, as changesets reads it: `workspace:^` is `^<old version>`. */
function effectiveRange(spec, oldVersion) {
  if (!spec.startsWith("workspace:")) return spec;
  const range = spec.slice("workspace:".length);
  if (range === "*") return oldVersion;
  if (range === "^" || range === "~") return `${range}${oldVersion}`;
  return range;
}

/** Snapshot of every file under `base` (node_modules excluded): relative path -> sha256. */
function snapshot(base, dir = base, out = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".git") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) snapshot(base, path, out);
    else if (entry.isFile())
      out.set(relative(base, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
  }
  return out;
}

// --- Copy the working tree -------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "asyncstreams-changesets-"));
const failures = [];
let table = [];
try {
  const files = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0").filter(Boolean);
  let copied = 0;
  for (const file of new Set(files)) {
    if (file.split("/")[0] === "node_modules") continue; // a node_modules symlink is not ignored by "node_modules/"
    const from = join(root, file);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      continue; // deleted in the working tree but not yet in the index: gone, as it will be
    }
    const to = join(work, file);
    mkdirSync(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isFile()) copyFileSync(from, to);
    else continue;
    copied += 1;
  }
  // changeset resolves its changelog generator (`@changesets/cli/changelog`) from the repo's
  // node_modules: lend it the real one, read-only use.
  symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
  console.log(`copied ${copied} files (tracked and untracked, not ignored) to ${work}`);

  // --- What the changesets and config promise ---------------------------------------------------

  const config = JSON.parse(readFileSync(join(work, ".changeset", "config.json"), "utf8"));
  const ignored = new Set(config.ignore ?? []);
  const versionPrivate = config.privatePackages?.version ?? true;
  const packages = workspacePackages(work);
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  // Right after a release nothing is pending: dry-run a patch for the first public package, so the
  // check still exercises the versioning, the dependents' bumps and the changelog.
  if (pendingChangesets(work).length === 0) {
    const first = packages.find((pkg) => pkg.manifest.private !== true && !ignored.has(pkg.name));
    if (first !== undefined) {
      writeFileSync(
        join(work, ".changeset", "ci-dry-run.md"),
        `---\n"${first.name}": patch\n---\n\nDry run of changeset version (no changeset was pending).\n`,
      );
      console.log(`no pending changeset: dry-running a patch of ${first.name}`);
    }
  }
  const changesets = pendingChangesets(work);
  console.log(
    `${changesets.length} pending changesets; ${packages.length} workspace packages; updateInternalDependencies: ${config.updateInternalDependencies ?? "patch"}`,
  );
  if ((config.fixed ?? []).length > 0 || (config.linked ?? []).length > 0) {
    failures.push("config.json has fixed or linked groups: versions must be independent (STYLE.md)");
  }

  /** name -> { level, why } */
  const expected = new Map();
  for (const changeset of changesets) {
    for (const [name, level] of changeset.releases) {
      if (!byName.has(name))
        failures.push(`.changeset/${changeset.file} names ${name}, which is not a workspace package`);
      else if (ignored.has(name))
        failures.push(`.changeset/${changeset.file} names ${name}, which config.json ignores`);
      const previous = expected.get(name);
      if (!previous || LEVELS.indexOf(level) > LEVELS.indexOf(previous.level))
        expected.set(name, { level, why: "changeset" });
    }
  }
  const skip = (pkg) => ignored.has(pkg.name) || (pkg.manifest.private === true && !versionPrivate);
  // Dependents, to a fixed point: a bump can push a dependent out of range, whose bump can push its
  // own dependents out of range.
  for (let changed = true; changed; ) {
    changed = false;
    for (const dependent of packages) {
      if (skip(dependent)) continue;
      for (const depType of DEPENDENCY_TYPES) {
        for (const [depName, spec] of Object.entries(dependent.manifest[depType] ?? {})) {
          const release = expected.get(depName);
          const dependency = byName.get(depName);
          if (!release || release.level === "none" || !dependency) continue;
          const next = semver.inc(dependency.manifest.version, release.level);
          if (semver.satisfies(next, effectiveRange(spec, dependency.manifest.version))) continue;
          if (depType === "devDependencies") continue; // changesets never bumps for a dev dependency
          const level = depType === "peerDependencies" ? "major" : "patch";
          const current = expected.get(dependent.name);
          if (!current || LEVELS.indexOf(level) > LEVELS.indexOf(current.level)) {
            expected.set(dependent.name, {
              level,
              why: `dependent: ${depName} ${next} leaves ${depType} range ${spec}`,
            });
            changed = true;
          }
        }
      }
    }
  }

  // --- Run changeset version ---------------------------------------------------------------------

  const before = snapshot(work);
  const run = spawnSync(join(root, "node_modules", ".bin", "changeset"), ["version"], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim();
  if (run.status !== 0) {
    console.log(output);
    failures.push(`changeset version exited with ${run.status}`);
  }
  const after = snapshot(work);

  // --- Check -------------------------------------------------------------------------------------

  const afterPackages = new Map(workspacePackages(work).map((pkg) => [pkg.name, pkg]));
  const allowed = new Set();
  for (const pkg of packages) {
    const now = afterPackages.get(pkg.name);
    const oldVersion = pkg.manifest.version;
    const newVersion = now?.manifest.version;
    const promise = expected.get(pkg.name);
    const wanted = promise && promise.level !== "none" ? semver.inc(oldVersion, promise.level) : oldVersion;
    const changelogPath = join(work, pkg.dir, "CHANGELOG.md");
    const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined;

    if (typeof newVersion !== "string" || newVersion.includes("workspace:") || semver.valid(newVersion) === null) {
      failures.push(`${pkg.name}: version ${JSON.stringify(newVersion)} is not a plain semver version`);
    } else if (newVersion !== wanted) {
      failures.push(
        `${pkg.name}: expected ${oldVersion} -> ${wanted} (${promise?.level ?? "untouched"}), got ${newVersion}`,
      );
    }
    for (const depType of DEPENDENCY_TYPES) {
      for (const [depName, spec] of Object.entries(pkg.manifest[depType] ?? {})) {
        const nowSpec = now?.manifest[depType]?.[depName];
        if (spec.startsWith("workspace:") && nowSpec !== spec)
          failures.push(`${pkg.name}: ${depType}.${depName} changed from ${spec} to ${nowSpec}`);
        if (!spec.startsWith("workspace:") && typeof nowSpec === "string" && nowSpec.includes("workspace:")) {
          failures.push(`${pkg.name}: ${depType}.${depName} became ${nowSpec}`);
        }
      }
    }
    if (wanted !== oldVersion) {
      allowed.add(join(pkg.dir, "package.json"));
      allowed.add(join(pkg.dir, "CHANGELOG.md"));
      if (changelog === undefined) failures.push(`${pkg.name}: bumped to ${wanted} but has no CHANGELOG.md`);
      else if (!changelog.includes(`## ${wanted}\n`))
        failures.push(`${pkg.name}: CHANGELOG.md has no "## ${wanted}" section`);
    }
    if (changelog?.includes("workspace:")) failures.push(`${pkg.name}: CHANGELOG.md mentions the workspace: protocol`);
    table.push({
      package: pkg.name,
      private: pkg.manifest.private === true,
      before: oldVersion,
      after: newVersion ?? "?",
      bump: wanted === oldVersion ? "-" : promise.level,
      why: wanted === oldVersion ? (ignored.has(pkg.name) ? "ignored in config" : "no changeset") : promise.why,
      changelog: changelog === undefined ? "-" : before.has(join(pkg.dir, "CHANGELOG.md")) ? "updated" : "new",
    });
  }
  // Every change must be one of: a bumped package's package.json or CHANGELOG.md, a consumed changeset.
  for (const [file, hash] of after) {
    if (before.get(file) === hash) continue;
    if (!allowed.has(file)) failures.push(`changeset version changed ${file}, which belongs to no bumped package`);
  }
  for (const file of before.keys()) {
    if (after.has(file)) continue;
    const consumed = changesets.some((changeset) => file === join(".changeset", changeset.file));
    if (!consumed) failures.push(`changeset version removed ${file}`);
  }
  const left = changesets.filter((changeset) => after.has(join(".changeset", changeset.file)));
  if (left.length > 0) failures.push(`changesets not consumed: ${left.map((changeset) => changeset.file).join(", ")}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// --- Report ----------------------------------------------------------------------------------------

if (table.length > 0) {
  const columns = ["package", "before", "after", "bump", "changelog", "why"];
  const rows = table.map((row) => ({ ...row, package: `${row.package}${row.private ? " (private)" : ""}` }));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
  const format = (cells) => `| ${cells.map((cell, index) => String(cell).padEnd(widths[index])).join(" | ")} |`;
  console.log(`\n${format(columns)}\n${format(widths.map((width) => "-".repeat(width)))}`);
  for (const row of rows) console.log(format(columns.map((column) => row[column])));
}
if (failures.length > 0) {
  console.error(`\ncheck:changesets failed:\n${failures.map((failure) => `  - ${failure}`).join("\n")}`);
  process.exit(1);
}
table = table.filter((row) => row.bump !== "-");
console.log(`\ncheck:changesets: changeset version bumps ${table.length} packages as the changesets and config say`);
