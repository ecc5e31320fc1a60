// @ts-check
// Fresh projects that install the released packages from the registry, as a user would, and run a
// smoke program each: npm, pnpm, Bun, Deno, and TypeScript setups for Node and for browsers.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findRuntime } from "../../runtimes/src/runtimes.mjs";
import { addSmoke, diskBytes, formatBytes, makeProject, topLevelPackages } from "./project.mjs";
import { inPool, runAsync } from "./run.mjs";

/**
 * @typedef {object} Context
 * @property {string} root        the repository (smoke files, tsc)
 * @property {string} work        a temp folder for the projects
 * @property {string} registry    where `@asyncstreams/*` come from
 * @property {Released[]} packages
 *   the released packages, dependency order; `neutral`: the main entry runs on any runtime
 *
 * @typedef {object} Released
 * @property {string} name
 * @property {string} dir
 * @property {string} version
 * @property {boolean} neutral
 * @property {import("./entries.mjs").Entry[]} entries
 *
 * @typedef {object} ConsumerResult
 * @property {string} name
 * @property {boolean} ok
 * @property {string} detail      what it checked, or why it failed
 * @property {number} [bytes]     install size on disk
 * @property {number} ms
 */

/**
 * The smoke file of a package in the repository; undefined when it has none (then `addSmoke` writes
 * an import-only one).
 * @param {Context} context
 * @param {string} name
 */
function smokeOf(context, name) {
  const pkg = context.packages.find((candidate) => candidate.name === name);
  return pkg && join(context.root, pkg.dir, "smoke", "public-api.mjs");
}

/** npm with the reader alone: only the buffer and the reader land in node_modules. @param {Context} context */
async function npmReader(context) {
  const dir = makeProject(join(context.work, "npm-reader"), { registry: context.registry });
  await runAsync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "@asyncstreams/reader"], {
    cwd: dir,
  });
  const landed = topLevelPackages(dir);
  const expected = ["@asyncstreams/buffer", "@asyncstreams/reader"];
  if (landed.join() !== expected.join())
    throw new Error(`node_modules holds ${landed.join(", ")}; expected only ${expected.join(", ")}`);
  await runAsync("node", [addSmoke(smokeOf(context, "@asyncstreams/reader"), dir, "@asyncstreams/reader")], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  // ESM only, but Node 20.19+ loads it with require() too (require(esm)), as the README says.
  writeFileSync(
    join(dir, "require.cjs"),
    `const { StreamReader } = require("@asyncstreams/reader");\nif (typeof StreamReader !== "function") throw new Error("require() gave no StreamReader");\n`,
  );
  await runAsync("node", ["require.cjs"], { cwd: dir, timeoutMs: 60_000 });
  return {
    detail: `node_modules: ${landed.join(", ")}; reader smoke and require() on Node ${process.versions.node}`,
    bytes: diskBytes(join(dir, "node_modules")),
  };
}

/**
 * npm with the websocket alone: its layers land and its optional peer `ws` does not (the main entry
 * never loads it); then `ws` is added, as the README tells Node users of `/server` to do, and the
 * smoke runs both entries on Node. The size is the one without `ws`; the detail gives ws's share.
 * @param {Context} context
 */
async function npmWebSocket(context) {
  const name = "@asyncstreams/websocket";
  const dir = makeProject(join(context.work, "npm-websocket"), { registry: context.registry });
  const npm = (/** @type {string[]} */ args) =>
    runAsync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", ...args], { cwd: dir });
  await npm([name]);
  const landed = topLevelPackages(dir);
  const strangers = landed.filter((entry) => !entry.startsWith("@asyncstreams/"));
  if (!landed.includes(name) || strangers.length > 0)
    throw new Error(
      `node_modules holds ${landed.join(", ")}; expected only @asyncstreams packages (ws is an optional peer)`,
    );
  const bytes = diskBytes(join(dir, "node_modules"));
  const manifest = JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"));
  const wsRange = manifest.peerDependencies?.ws;
  if (typeof wsRange !== "string") throw new Error(`${name} declares no ws peer dependency`);
  await npm([`ws@${wsRange}`]);
  const withWs = diskBytes(join(dir, "node_modules"));
  await runAsync("node", [addSmoke(smokeOf(context, name), dir, name)], { cwd: dir, timeoutMs: 60_000 });
  return {
    detail:
      `node_modules: ${landed.join(", ")} (no ws); then ws@${wsRange} (+${formatBytes(withWs - bytes)}), ` +
      "main entry and /server smoke on Node",
    bytes,
  };
}

/**
 * npm with the quic package alone: `@matrixai/quic` and its native addon for this platform (an
 * optional dependency, a prebuilt binary in a registry package: no install script, no download
 * elsewhere) come from the machine's registry, the `@asyncstreams` packages from the local one;
 * the smoke runs a QUIC echo on Node.
 * @param {Context} context
 */
async function npmQuic(context) {
  const name = "@asyncstreams/quic";
  const dir = makeProject(join(context.work, "npm-quic"), { registry: context.registry });
  await runAsync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", name], { cwd: dir });
  const native = `@matrixai/quic-${process.platform}-${process.arch}`;
  const landed = topLevelPackages(dir);
  if (!landed.includes(native)) throw new Error(`${native} (the native addon) did not land: ${landed.join(", ")}`);
  await runAsync("node", [addSmoke(smokeOf(context, name), dir, name)], { cwd: dir, timeoutMs: 120_000 });
  const nativeBytes = diskBytes(join(dir, "node_modules", ...native.split("/")));
  return {
    detail: `${landed.length} packages with ${native} (${formatBytes(nativeBytes)}); quic smoke (QUIC echo) on Node`,
    bytes: diskBytes(join(dir, "node_modules")),
  };
}

/**
 * pnpm with one package alone (plus `extras`, such as an optional peer): its layers come with it,
 * and its smoke runs on Node.
 * @param {Context} context
 * @param {string} name
 * @param {string[]} [extras]
 */
async function pnpmAlone(context, name, extras = []) {
  const dir = makeProject(join(context.work, `pnpm-${name.split("/").pop()}`), { registry: context.registry });
  // A store and a metadata cache of its own, as a new user has: pnpm trusts cached metadata that
  // satisfies a range, so metadata cached while publishing would hold it at older versions.
  const env = { PNPM_CONFIG_CACHE_DIR: join(dir, ".pnpm-cache") };
  await runAsync("pnpm", ["add", "--ignore-workspace", "--store-dir", join(dir, ".pnpm-store"), name, ...extras], {
    cwd: dir,
    env,
  });
  const layers = readdirSync(join(dir, "node_modules", ".pnpm"))
    .filter((entry) => entry.startsWith("@asyncstreams+"))
    .map((entry) => entry.replace("+", "/"));
  await runAsync("node", [addSmoke(smokeOf(context, name), dir, name)], { cwd: dir, timeoutMs: 60_000 });
  return {
    detail: `installed ${[...layers.sort(), ...extras].join(", ")}; ${name.split("/").pop()} smoke on Node`,
    bytes: diskBytes(join(dir, "node_modules")),
  };
}

/** `name: ^version` for every runtime-neutral package. @param {Context} context */
function neutralRanges(context) {
  return Object.fromEntries(context.packages.filter((pkg) => pkg.neutral).map((pkg) => [pkg.name, `^${pkg.version}`]));
}

/** Bun: `bun install` the runtime-neutral packages and run their smokes on Bun. @param {Context} context */
async function bun(context) {
  const runtime = findRuntime("bun");
  if ("missing" in runtime) throw new Error(runtime.missing);
  const dependencies = neutralRanges(context);
  const dir = makeProject(join(context.work, "bun"), {
    registry: context.registry,
    dependencies,
    files: { "bunfig.toml": `[install.scopes]\n"@asyncstreams" = ${JSON.stringify(context.registry)}\n` },
  });
  const env = { BUN_INSTALL_CACHE_DIR: join(context.work, "bun-cache") };
  await runAsync(runtime.binary, ["install", "--no-save"], { cwd: dir, env });
  for (const name of Object.keys(dependencies)) {
    await runAsync(runtime.binary, [addSmoke(smokeOf(context, name), dir, name)], { cwd: dir, env, timeoutMs: 60_000 });
  }
  return {
    detail: `${runtime.version}: ${Object.keys(dependencies).length} smokes`,
    bytes: diskBytes(join(dir, "node_modules")),
  };
}

/** Deno: `npm:` specifiers (through deno.json's import map), their smokes and `deno check`. @param {Context} context */
async function deno(context) {
  const runtime = findRuntime("deno");
  if ("missing" in runtime) throw new Error(runtime.missing);
  const ranges = neutralRanges(context);
  // A second key with a trailing slash maps the subpath entries (`@asyncstreams/protocol/testing`).
  const imports = Object.fromEntries(
    Object.entries(ranges).flatMap(([name, range]) => [
      [name, `npm:${name}@${range}`],
      [`${name}/`, `npm:/${name}@${range}/`],
    ]),
  );
  const dir = makeProject(join(context.work, "deno"), {
    registry: context.registry,
    files: {
      "deno.json": `${JSON.stringify({ imports, nodeModulesDir: "none" }, null, 2)}\n`,
      "consumer.ts": typeScriptConsumer(context, true),
    },
  });
  const denoDir = join(context.work, "deno-dir");
  const env = { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" };
  // Deno holds back versions published less than a day ago (minimum dependency age); these were
  // published a minute ago. A user installing on release day meets the same: docs/releasing.md.
  const fresh = "--minimum-dependency-age=0";
  // The smokes need no permission: the packages touch nothing but memory.
  for (const name of Object.keys(ranges)) {
    await runAsync(runtime.binary, ["run", "--no-lock", fresh, addSmoke(smokeOf(context, name), dir, name)], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
    });
  }
  await runAsync(runtime.binary, ["check", "--no-lock", fresh, "consumer.ts"], { cwd: dir, env, timeoutMs: 120_000 });
  const cached = join(denoDir, "npm");
  return {
    detail: `${runtime.version}: ${Object.keys(ranges).length} smokes, deno check`,
    bytes: existsSync(cached) ? diskBytes(cached) : undefined,
  };
}

/**
 * A TypeScript program that imports every entry point it is given (`@asyncstreams/websocket` and
 * `@asyncstreams/websocket/server`) and uses the core types.
 * @param {Context} context
 * @param {boolean} neutralOnly  only the entries that run on any runtime
 */
function typeScriptConsumer(context, neutralOnly) {
  const specifiers = context.packages
    .flatMap((pkg) => pkg.entries)
    .filter((entry) => entry.neutral || !neutralOnly)
    .map((entry) => entry.specifier);
  const lines = ["// Type-checks the public types of every entry point it imports (skipLibCheck is off)."];
  specifiers.forEach((specifier, index) => lines.push(`import * as entry${index} from "${specifier}";`));
  lines.push(
    `export const exported: number = ${specifiers.map((_, index) => `Object.keys(entry${index}).length`).join(" + ")};`,
  );
  if (specifiers.includes("@asyncstreams/reader")) {
    lines.push(
      `import { StreamReader, type ReadOptions } from "@asyncstreams/reader";`,
      `export async function firstLine(reader: StreamReader, options?: ReadOptions): Promise<string> {`,
      `  const line: Uint8Array = await reader.readLine(options);`,
      `  return new TextDecoder().decode(line);`,
      `}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * TypeScript, strict: a Node setup (`@types/node`, lib ES2022 only) and a browser setup (lib ES2022,
 * ESNext.Disposable and DOM, no `@types/node`), each with `nodenext` and `bundler` resolution, and a
 * browser setup without ESNext.Disposable (the packages' types bring it themselves). One `tsc -b`
 * checks them all, so the standard library is read once.
 * @param {Context} context
 */
async function typeScript(context) {
  const dependencies = Object.fromEntries(context.packages.map((pkg) => [pkg.name, `^${pkg.version}`]));
  const typesNode = JSON.parse(readFileSync(join(context.root, "package.json"), "utf8")).devDependencies["@types/node"];
  const dir = makeProject(join(context.work, "typescript"), {
    registry: context.registry,
    dependencies: { ...dependencies, "@types/node": typesNode },
    files: { "node.ts": typeScriptConsumer(context, false), "browser.ts": typeScriptConsumer(context, true) },
  });
  await runAsync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir });
  const setups = {
    node: { file: "node.ts", lib: ["ES2022"], types: ["node"] },
    browser: { file: "browser.ts", lib: ["ES2022", "ESNext.Disposable", "DOM"], types: [] },
    "browser-es2022-dom": { file: "browser.ts", lib: ["ES2022", "DOM"], types: [] },
  };
  const resolutions = {
    nodenext: { module: "nodenext", moduleResolution: "nodenext" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
  };
  const tsc = join(context.root, "node_modules", "typescript", "bin", "tsc");
  const configs = [];
  for (const [setupName, setup] of Object.entries(setups)) {
    for (const [resolutionName, resolution] of Object.entries(resolutions)) {
      const config = `tsconfig.${setupName}-${resolutionName}.json`;
      const compilerOptions = {
        strict: true,
        target: "ES2022",
        ...resolution,
        lib: setup.lib,
        types: setup.types,
        noEmit: true,
        skipLibCheck: false,
      };
      writeFileSync(join(dir, config), `${JSON.stringify({ compilerOptions, files: [setup.file] }, null, 2)}\n`);
      configs.push(config);
    }
  }
  await runAsync("node", [tsc, "-b", ...configs], { cwd: dir, timeoutMs: 300_000 });
  const checked = configs.map((config) => config.slice("tsconfig.".length, -".json".length));
  return { detail: `tsc strict ${checked.join(", ")}`, bytes: diskBytes(join(dir, "node_modules")) };
}

/**
 * Runs every consumer, a few at a time; a failure is reported, never thrown.
 * @param {Context} context
 * @returns {Promise<ConsumerResult[]>}
 */
export function runConsumers(context) {
  /** @type {[string, () => Promise<{ detail: string, bytes?: number }>][]} */
  const consumers = [
    ["TypeScript: Node and browser setups", () => typeScript(context)],
    ["npm: @asyncstreams/reader alone", () => npmReader(context)],
    ["pnpm: @asyncstreams/net alone", () => pnpmAlone(context, "@asyncstreams/net")],
    ["pnpm: @asyncstreams/tls", () => pnpmAlone(context, "@asyncstreams/tls")],
    ["npm: @asyncstreams/websocket alone, then ws", () => npmWebSocket(context)],
    ["pnpm: @asyncstreams/websocket + ws", () => pnpmAlone(context, "@asyncstreams/websocket", ["ws"])],
    ["npm: @asyncstreams/quic alone", () => npmQuic(context)],
    ["Bun: runtime-neutral packages", () => bun(context)],
    ["Deno: npm: specifiers", () => deno(context)],
  ];
  return inPool(
    consumers.map(([name, check]) => async () => {
      const started = performance.now();
      try {
        return { name, ok: true, ...(await check()), ms: performance.now() - started };
      } catch (error) {
        return {
          name,
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
          ms: performance.now() - started,
        };
      }
    }),
    3,
  );
}
