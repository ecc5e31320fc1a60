// Every package declares `"sideEffects": false`: importing it must do no work anyone can observe,
// so that bundlers may drop it and a program that imports it and never uses it pays nothing. Each
// entry point is imported in a fresh Node process (this one has imported everything already) running
// the TypeScript sources, as the tests do; see _import-probe.mjs.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REGISTER = fileURLToPath(new URL("../loader/register.mjs", import.meta.url));
const PROBE = fileURLToPath(new URL("./_import-probe.mjs", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../../packages/", import.meta.url));
const KEEP_SHAPES = join(PACKAGES, "reader", "src", "_keep-shapes.ts");

/** Every published package's folder: a new package is checked without touching this test. */
const PUBLISHED = readdirSync(PACKAGES).filter((folder) => {
  const manifest = join(PACKAGES, folder, "package.json");
  return existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { private?: boolean }).private !== true;
});

/** Every public entry point (`@asyncstreams/x` and its subpaths) with the source file it maps to. */
const ENTRIES: { name: string; file: string }[] = PUBLISHED.flatMap((folder) => {
  const manifest = JSON.parse(readFileSync(join(PACKAGES, folder, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, { "@asyncstreams/source": string }>;
  };
  return Object.entries(manifest.exports).map(([subpath, conditions]) => ({
    name: join(manifest.name, subpath),
    file: join(PACKAGES, folder, conditions["@asyncstreams/source"]),
  }));
});
const READER_ENTRY = ENTRIES.find((entry) => entry.name === "@asyncstreams/reader")!.file;

interface ImportReport {
  /** Per entry file (relative to packages/): what its import did. */
  report: Record<string, { calls: string[]; resources: string[]; globals: string[]; warnings: string[] }>;
  warmedAtImport: boolean;
  warmedOnConstruction: boolean;
}

describe("importing the packages", () => {
  it("no entry point schedules anything, opens anything, adds a global, warns, or makes a StreamReader at import", {
    timeout: 120_000,
  }, () => {
    const files = ENTRIES.map((entry) => entry.file);
    const output = execFileSync(
      process.execPath,
      ["--conditions=@asyncstreams/source", "--import", REGISTER, PROBE, READER_ENTRY, KEEP_SHAPES, ...files],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    const { report, warmedAtImport, warmedOnConstruction } = JSON.parse(
      output.trim().split("\n").pop()!,
    ) as ImportReport;
    const nothing = { calls: [], resources: [], globals: [], warnings: [] };
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((file) => [file, nothing])));
    expect(Object.keys(report)).toHaveLength(ENTRIES.length);
    // The folder scan found them all (a typo in the filter would silently check nothing).
    expect(ENTRIES.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(["@asyncstreams/websocket", "@asyncstreams/websocket/server", "@asyncstreams/quic"]),
    );
    expect(warmedAtImport).toBe(false);
    // The reader's hidden-class warm-up runs on the first construction instead.
    expect(warmedOnConstruction).toBe(true);
  });
});
