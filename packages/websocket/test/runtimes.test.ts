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
const names = transportConformance(() => ({ transports: [] as never }), {
  halfClose: false,
  pauseReading: true,
  writeBufferLimits: true,
}).map((c) => c.name);

/**
 * Cases that need a receiver which stops reading from the socket: a WHATWG `WebSocket` cannot, so
 * the transport holds what arrives (up to `maxReadBuffer`, then closes with 1009/4009: tested in
 * back-pressure.test.ts) and its peer's writer never meets lasting pressure. On Bun the server side
 * is `ws` (it pauses), so only the direction into the WHATWG client is affected, as on Node 22+; on
 * Deno both ends are WHATWG sockets.
 */
const UNBOUNDED: Record<string, string[]> = {
  bun: ["drain() waits while the peer's reader is full"],
  deno: [
    "drain() waits while the peer's reader is full",
    "pauseWriting() comes above the high-water mark while the peer does not read",
  ],
  // The WebSocketStream client holds its peer back (both cases pass into it); only the drain case's
  // second direction, into the server's WHATWG socket, is unbounded.
  "deno-stream": ["drain() waits while the peer's reader is full"],
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
  const rows = out
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Row & { done?: boolean });
  if (!rows.some((row) => row.done === true))
    throw new Error(`the run ended (exit ${code}) before the last case: ${errors}`);
  return new Map(rows.filter((row) => row.done !== true).map((row) => [row.name, row]));
}

const runs = [
  { id: "deno", title: "its global WebSocket, to Deno.upgradeWebSocket", mode: "socket" },
  { id: "deno-stream", title: "its WebSocketStream (--unstable-net), to Deno.upgradeWebSocket", mode: "stream" },
  { id: "bun", title: "its global WebSocket, to Bun's ws server", mode: "socket" },
] as const;

for (const { id, title, mode } of runs) {
  // runtimes.mjs is plain JavaScript: only the fields used here, typed.
  const runtime = findRuntime(id === "deno-stream" ? "deno" : id) as {
    label: string;
    binary?: string;
    missing?: string;
  };
  const missing =
    runtime.missing !== undefined
      ? runtime.missing
      : built
        ? undefined
        : "packages/websocket is not built (run pnpm build)";
  if (missing !== undefined) console.warn(`warning: WebSocket conformance on ${runtime.label} skipped: ${missing}`);
  describe.skipIf(missing !== undefined)(`WebSocket conformance on ${runtime.label}: ${title}`, () => {
    let results: Promise<Map<string, Row>> | undefined;
    const args = [JSON.stringify(UNBOUNDED[id]), mode];
    // As runtimes.mjs starts them (Bun on itself; Deno with no lock file written), and Deno's
    // WebSocketStream is behind --unstable-net.
    const argv =
      id === "bun"
        ? ["--bun", script, ...args]
        : ["run", "-A", "--no-lock", ...(mode === "stream" ? ["--unstable-net"] : []), script, ...args];
    const rows = () =>
      (results ??= runtime.binary !== undefined ? run(runtime.binary, argv) : Promise.reject(new Error(missing)));
    for (const name of names) {
      const unbounded = UNBOUNDED[id]!.some((prefix) => name.startsWith(prefix));
      (unbounded ? it.skip : it)(
        `conformance: ${name}`,
        async () => {
          const row = (await rows()).get(name);
          expect(row, `case not run on ${runtime.label}: ${name}`).toBeDefined();
          expect(row!.error).toBeUndefined();
          expect(row!.ok).toBe(true);
        },
        240_000,
      );
    }
  });
}
