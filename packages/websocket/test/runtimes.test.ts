import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { findRuntime } from "../../../runtimes/src/runtimes.mjs";

type Row = { name: string; ok: boolean; error?: string };

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("./runtimes/conformance.mjs", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../dist/index.js", import.meta.url)));

/** The kit's case names for a WebSocket (no half-close), the same on every runtime (runtimes/conformance.mjs). */
const names = transportConformance(() => ({ transports: [] as never }), { halfClose: false, pauseReading: true, writeBufferLimits: true }).map((c) => c.name);

/**
 * Cases that need a receiver which stops reading from the socket: a WHATWG `WebSocket` cannot, so
 * the transport holds what arrives (up to `maxReadBuffer`, then closes with 1009/4009: tested in
 * back-pressure.test.ts) and its peer's writer never meets lasting pressure. On Bun the server side
 * is `ws` (it pauses), so only the direction into the WHATWG client is affected, as on Node 22+; on
 * Deno both ends are WHATWG sockets.
 */
const UNBOUNDED: Record<string, string[]> = {
  bun: ["drain() waits while the peer's reader is full"],
  deno: ["drain() waits while the peer's reader is full", "pauseWriting() comes above the high-water mark while the peer does not read"],
};

/** Runs the conformance script on one runtime and collects its rows by case name. */
async function run(binary: string, argv: string[]): Promise<Map<string, Row>> {
  const child = spawn(binary, argv, { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let out = "";
  let errors = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  const rows = out.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Row & { done?: boolean });
  if (!rows.some((row) => row.done === true)) throw new Error(`the run ended (exit ${code}) before the last case: ${errors}`);
  return new Map(rows.filter((row) => row.done !== true).map((row) => [row.name, row]));
}

for (const id of ["deno", "bun"] as const) {
  const runtime = findRuntime(id);
  const missing = "missing" in runtime ? runtime.missing : built ? undefined : "packages/websocket is not built (run pnpm build)";
  if (missing !== undefined) console.warn(`warning: WebSocket conformance on ${runtime.label} skipped: ${missing}`);
  describe.skipIf(missing !== undefined)(`WebSocketTransport conformance on ${runtime.label}: its global WebSocket`, () => {
    let results: Promise<Map<string, Row>> | undefined;
    const rows = () => (results ??= "binary" in runtime ? run(runtime.binary, runtime.argv(script, [JSON.stringify(UNBOUNDED[id])])) : Promise.reject(new Error(missing)));
    for (const name of names) {
      const unbounded = UNBOUNDED[id]!.some((prefix) => name.startsWith(prefix));
      (unbounded ? it.skip : it)(`conformance: ${name}`, async () => {
        const row = (await rows()).get(name);
        expect(row, `case not run on ${runtime.label}: ${name}`).toBeDefined();
        expect(row!.error).toBeUndefined();
        expect(row!.ok).toBe(true);
      }, 240_000);
    }
  });
}
