// @ts-check
// The core smoke test (smoke/core-smoke.js) in headless Chromium, which has no `process`: the page
// loads the packages' dist/ through an import map from a server on 127.0.0.1 and posts its report
// back. Debian's `chromium` is used; when it is missing or cannot start, the run is skipped with a
// message, never failed. In CI (CI set) or with --install-chromium, a missing chromium is first
// installed with apt-get when running as root.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { spawn } from "node:child_process";
import { killGroup } from "./_spawn.mjs";
import { repoRoot } from "./vitest-run.mjs";

/** @typedef {import("../smoke/core-smoke.js").SmokeReport} SmokeReport */
/**
 * @typedef {{ status: "passed" | "failed" | "skipped", reason?: string, report?: SmokeReport, version?: string }}
 *   BrowserResult
 */

const PAGE_LOAD_DEADLINE_MS = 30_000;
const RESULT_DEADLINE_MS = 120_000;
const APT_DEADLINE_MS = 8 * 60_000;

/** Flags that work on this kind of machine (root, no GPU, no network but loopback). */
const chromiumFlags = [
  "--headless",
  "--no-sandbox", // running as root in a container, where the setuid/namespace sandbox is unavailable
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Files the page may load: the page, the smoke module, and the four core packages' dist/. */
const servable = [
  /^runtimes\/smoke\/(index\.html|core-smoke\.js)$/,
  /^packages\/(buffer|reader|writer|protocol)\/dist\/[\w/.-]+\.js(\.map)?$/,
];
/** @type {Record<string, string>} */
const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

/** The chromium to use: $CHROMIUM_PATH when set (and only it), else Debian's. */
function chromiumPath() {
  const override = process.env.CHROMIUM_PATH;
  const candidates =
    override !== undefined && override !== "" ? [override] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((path) => existsSync(path));
}

/**
 * The last lines of chromium's output, to say why it did not start.
 * @param {string} logFile
 */
function tail(logFile) {
  const lines = readFileSync(logFile, "utf8")
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "");
  return lines.length === 0 ? "it printed nothing" : `it printed: ${lines.slice(-3).join(" | ")}`;
}

/**
 * Installs Debian's chromium with apt-get; returns why it could not, or undefined on success.
 * @param {(line: string) => void} log
 */
function installChromium(log) {
  if (process.getuid?.() !== 0) return "not root, so apt-get cannot install it";
  if (spawnSync("which", ["apt-get"]).status !== 0) return "apt-get is not available";
  log("chromium is missing: installing Debian's chromium with apt-get (CI or --install-chromium)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-q"],
    ["install", "-y", "-q", "--no-install-recommends", "chromium"],
  ]) {
    const result = spawnSync("apt-get", args, { env, encoding: "utf8", timeout: APT_DEADLINE_MS });
    if (result.status !== 0)
      return `apt-get ${args.join(" ")} failed: ${(result.stderr || String(result.error ?? "")).trim().split("\n").slice(-2).join(" ")}`;
  }
  return undefined;
}

/**
 * Serves the page and the packages on 127.0.0.1:0 and resolves with the posted report.
 * @returns {Promise<{ url: string, loaded: Promise<void>, report: Promise<unknown>, close: () => Promise<void> }>}
 */
async function serve() {
  /** @type {() => void} */
  let markLoaded = () => undefined;
  const loaded = new Promise((resolve) => (markLoaded = () => resolve(undefined)));
  /** @type {(value: unknown) => void} */
  let deliver = () => undefined;
  const report = new Promise((resolve) => (deliver = resolve));
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname)).replace(
      /^\/+/,
      "",
    );
    if (request.method === "POST" && path === "result") {
      /** @type {Buffer[]} */
      const chunks = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(204).end();
        try {
          deliver(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (error) {
          deliver({ fatal: `the page posted something that is not JSON: ${String(error)}` });
        }
      });
      return;
    }
    const file = path === "" ? "runtimes/smoke/index.html" : path;
    if (
      request.method !== "GET" ||
      !servable.some((pattern) => pattern.test(file)) ||
      !existsSync(join(repoRoot, file))
    ) {
      response.writeHead(404).end();
      return;
    }
    if (file.endsWith("index.html")) markLoaded();
    response.writeHead(200, {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    response.end(readFileSync(join(repoRoot, file)));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("Cannot serve the smoke page: the server has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    loaded,
    report,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined)).closeAllConnections()),
  };
}

/**
 * @param {number} ms
 * @returns {Promise<"timeout">}
 */
function after(ms) {
  return new Promise((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
}

/**
 * Runs the smoke page in headless Chromium.
 * @param {{ install: boolean, logDir: string, log: (line: string) => void }} options
 * @returns {Promise<BrowserResult>}
 */
export async function runBrowserSmoke({ install, logDir, log }) {
  if (!existsSync(join(repoRoot, "packages", "protocol", "dist", "index.js"))) {
    return {
      status: "failed",
      reason: "packages/*/dist is missing: run `pnpm build` first (the root script `pnpm test:runtimes` does)",
    };
  }
  let binary = chromiumPath();
  if (binary === undefined && install) {
    const why = installChromium(log);
    if (why !== undefined) return { status: "skipped", reason: `chromium could not be installed: ${why}` };
    binary = chromiumPath();
  }
  if (binary === undefined) {
    return {
      status: "skipped",
      reason:
        "chromium is not installed (as root: `apt-get install -y chromium`, or pass --install-chromium; CHROMIUM_PATH overrides the path)",
    };
  }
  // Debian's wrapper script may print shell noise to stderr; the version line is on stdout.
  const version =
    (spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000 }).stdout ?? "")
      .split("\n")
      .find((line) => /chrom/i.test(line))
      ?.trim() ?? "";

  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), "asyncstreams-chromium-"));
  const logFile = join(logDir, "chromium.log");
  const out = openSync(logFile, "w");
  // Its own process group, so that the browser and every helper process it starts are killed together.
  const browser = spawn(binary, [...chromiumFlags, `--user-data-dir=${profile}`, server.url], {
    stdio: ["ignore", out, out],
    detached: true,
  });
  closeSync(out);
  /** @type {Promise<"exited">} */
  const exited = new Promise((resolve) => {
    browser.on("error", () => resolve("exited"));
    browser.on("exit", () => resolve("exited"));
  });
  try {
    const started = await Promise.race([
      server.loaded.then(() => /** @type {const} */ ("loaded")),
      exited,
      after(PAGE_LOAD_DEADLINE_MS),
    ]);
    if (started !== "loaded") {
      const why =
        started === "exited"
          ? "it exited before loading the page"
          : `it did not load the page within ${PAGE_LOAD_DEADLINE_MS / 1000} s`;
      return { status: "skipped", version, reason: `chromium could not be started: ${why}; ${tail(logFile)}` };
    }
    const posted = await Promise.race([server.report, exited, after(RESULT_DEADLINE_MS)]);
    if (posted === "timeout" || posted === "exited") {
      return {
        status: "failed",
        version,
        reason:
          posted === "exited"
            ? "chromium exited before the page reported"
            : `the page did not report within ${RESULT_DEADLINE_MS / 1000} s`,
      };
    }
    const body = /** @type {{ fatal?: string } & Partial<SmokeReport>} */ (posted);
    if (body.fatal !== undefined || body.results === undefined)
      return { status: "failed", version, reason: `the page failed: ${body.fatal ?? "no results"}` };
    const report = /** @type {SmokeReport} */ (body);
    rmSync(logFile, { force: true });
    return { status: report.results.every((result) => result.ok) ? "passed" : "failed", version, report };
  } finally {
    killGroup(browser.pid);
    await Promise.race([exited, after(5_000)]);
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
