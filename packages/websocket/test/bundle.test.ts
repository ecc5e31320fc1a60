// A browser bundle of the main entry must not pull in `ws` or any `node:` module: esbuild bundles
// it from the sources for the browser platform, and the test reads what went in.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const entry = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** Bundles one entry point and returns the inputs it pulled in and the imports it left external. */
async function bundle(path: string, platform: "browser" | "node") {
  const result = await build({
    entryPoints: [entry(path)],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform,
    logLevel: "silent",
    conditions: ["@asyncstreams/source"], // the workspace packages' sources, no build needed
    ...(platform === "node" ? { packages: "external" as const } : {}),
  });
  const inputs = Object.keys(result.metafile.inputs);
  const externals = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((item) => item.external).map((item) => item.path),
  );
  return { inputs, externals };
}

describe("bundling @asyncstreams/websocket", () => {
  it("a browser bundle of the main entry holds the four core layers and nothing of ws or node:", async () => {
    const { inputs, externals } = await bundle("index.ts", "browser");
    expect(inputs.some((input) => input.includes("packages/protocol/src/"))).toBe(true);
    expect(inputs.filter((input) => /(^|\/)ws\/|node_modules/.test(input))).toEqual([]);
    expect(inputs.filter((input) => input.includes("packages/websocket/src/server/"))).toEqual([]);
    expect(externals).toEqual([]);
  });

  it("the /server entry does load ws (so the check above can fail)", async () => {
    const { externals } = await bundle("server/index.ts", "node");
    expect(externals).toContain("ws");
  });
});
