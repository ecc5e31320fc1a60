#!/usr/bin/env node
// Release hygiene for every publishable package in packages/*: pack it exactly as `changeset publish`
// would (`pnpm pack`, which turns `workspace:^` into real ranges), then check the tarball with
//   - publint --strict      (package.json fields against the files really shipped; warnings fail too),
//   - attw --profile esm-only (types resolve under node16-ESM and bundler; the packages are ESM only on
//     purpose, so the CommonJS rows `node10` and `node16 (from CJS)` are not judged: Node 20.19+
//     `require()`s ESM, which attw 0.18 does not model yet),
//   - its own file list: no tests, no .tsbuildinfo, and dist/ present.
// It builds nothing: run `pnpm build` first. It needs no network.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const packagesDir = join(root, "packages");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Paths a tarball must never hold, relative to its `package/` folder. */
const forbidden = [/(^|\/)test\//, /\.test\.[cm]?[jt]s$/, /\.tsbuildinfo$/, /(^|\/)\.turbo\//, /(^|\/)node_modules\//];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

const failures = [];
const work = mkdtempSync(join(tmpdir(), "asyncstreams-pack-"));
try {
  for (const name of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, name);
    const manifestPath = join(dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.private === true) continue;
    const label = manifest.name ?? name;
    console.log(`\n=== ${label}`);

    if (!existsSync(join(dir, "dist", "index.js"))) {
      failures.push(`${label}: dist/index.js is missing (run \`pnpm build\` first)`);
      continue;
    }

    const destination = join(work, name);
    const pack = run("pnpm", ["pack", "--pack-destination", destination], { cwd: dir });
    const tarballs = existsSync(destination) ? readdirSync(destination).filter((file) => file.endsWith(".tgz")) : [];
    if (pack.status !== 0 || tarballs.length !== 1) {
      console.log(pack.output);
      failures.push(`${label}: pnpm pack failed`);
      continue;
    }
    const tarball = join(destination, tarballs[0]);

    const listing = run("tar", ["-tzf", tarball]);
    const files = listing.output.split("\n").map((line) => line.replace(/^package\//, ""));
    const stray = files.filter((file) => forbidden.some((pattern) => pattern.test(file)));
    console.log(`tarball: ${files.length} files`);
    if (stray.length > 0) failures.push(`${label}: the tarball holds files users do not need: ${stray.join(", ")}`);
    if (!files.includes("dist/index.d.ts")) failures.push(`${label}: the tarball lacks dist/index.d.ts`);

    const publint = run(bin("publint"), ["run", tarball, "--strict"]);
    console.log(publint.output);
    if (publint.status !== 0) failures.push(`${label}: publint failed`);

    const attw = run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-color"]);
    console.log(attw.output);
    if (attw.status !== 0) failures.push(`${label}: attw failed`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\ncheck:packages failed:\n${failures.map((failure) => `  - ${failure}`).join("\n")}`);
  process.exit(1);
}
console.log("\ncheck:packages: every package passes publint and attw");
