// @ts-check
// Vitest setup file for the runtime runs: writes the identity of the runtime that runs this test
// worker into $ASYNCSTREAMS_RUNTIME_PROBE_DIR, one file per process. The runner checks that every
// worker was the runtime it asked for (Vitest forks workers with process.execPath, which Bun and
// Deno answer with their own binary, but a wrapper or a PATH lookup could swap it).
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.ASYNCSTREAMS_RUNTIME_PROBE_DIR;
if (dir !== undefined && dir !== "") {
  const g = /** @type {{ Bun?: { version: string }, Deno?: { version: { deno: string } } }} */ (
    /** @type {unknown} */ (globalThis)
  );
  const runtime =
    g.Bun !== undefined
      ? `bun ${g.Bun.version}`
      : g.Deno !== undefined
        ? `deno ${g.Deno.version.deno}`
        : `node ${process.versions.node}`;
  writeFileSync(join(dir, `${process.pid}.txt`), runtime);
}
