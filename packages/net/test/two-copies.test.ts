// Two installed copies of the packages in one program, as independent upgrades produce: the built
// packages are packed with `pnpm pack` (what a registry would serve), unpacked into two separate
// node_modules trees, and a plain Node process loads both and checks errors across them.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL("../../", import.meta.url));
const child = fileURLToPath(new URL("./_two-copies-child.mjs", import.meta.url));
const names = ["buffer", "reader", "writer", "protocol", "net", "websocket", "quic"] as const;
/** Every entry point each tree's index.mjs re-exports, by the name the child reads it under. */
const entries: Record<string, string> = {
  ...Object.fromEntries(names.map((name) => [name, `@asyncstreams/${name}`])),
  websocketServer: "@asyncstreams/websocket/server",
};
const built = names.every((name) => existsSync(join(packagesDir, name, "dist", "index.js")));

let root = "";

beforeAll(async () => {
  if (!built) return;
  root = mkdtempSync(join(tmpdir(), "asyncstreams-two-copies-"));
  const tarballs = join(root, "tarballs");
  mkdirSync(tarballs);
  for (const name of names)
    await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(packagesDir, name), timeout: 60_000 });
  for (const tree of ["a", "b"]) {
    for (const tarball of readdirSync(tarballs)) {
      const name = /^asyncstreams-(\w+)-/.exec(tarball)![1]!;
      const target = join(root, tree, "node_modules", "@asyncstreams", name);
      mkdirSync(target, { recursive: true });
      await run("tar", ["-xzf", join(tarballs, tarball), "-C", target, "--strip-components=1"], { timeout: 60_000 });
    }
    const index = Object.entries(entries)
      .map(([name, specifier]) => `export * as ${name} from "${specifier}";`)
      .join("\n");
    writeFileSync(join(root, tree, "index.mjs"), `${index}\n`);
  }
}, 120_000);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
});

/** What each error is an instance of in the other copy: itself, its ancestors, StreamError. */
const expected = {
  IncompleteReadError: { instanceOf: ["IncompleteReadError", "StreamError"], code: "ERR_INCOMPLETE_READ" },
  LimitOverrunError: { instanceOf: ["LimitOverrunError", "StreamError"], code: "ERR_LIMIT_OVERRUN" },
  InvalidStateError: { instanceOf: ["InvalidStateError", "StreamError"], code: "ERR_ASYNCSTREAMS_INVALID_STATE" },
  ReadInProgressError: { instanceOf: ["ReadInProgressError", "StreamError"], code: "ERR_READ_IN_PROGRESS" },
  ReadTimeoutError: { instanceOf: ["ReadTimeoutError", "StreamError"], code: "ERR_READ_TIMEOUT" },
  TextDecodeError: { instanceOf: ["StreamError", "TextDecodeError"], code: "ERR_TEXT_DECODE" },
  DrainTimeoutError: { instanceOf: ["DrainTimeoutError", "StreamError"], code: "ERR_DRAIN_TIMEOUT" },
  NotImplementedError: { instanceOf: ["NotImplementedError", "StreamError"], code: "ERR_NOT_IMPLEMENTED" },
  ConnectionLostError: { instanceOf: ["ConnectionLostError", "StreamError"], code: "ERR_CONNECTION_LOST" },
  ConnectionResetError: { instanceOf: ["ConnectionResetError", "StreamError"], code: "ECONNRESET" },
  SocketError: { instanceOf: ["SocketError", "StreamError"], code: "ECONNREFUSED" },
  TlsError: { instanceOf: ["HandshakeError", "StreamError", "TlsError"], code: "CERT_HAS_EXPIRED" },
  KeepAliveTimeoutError: {
    instanceOf: ["KeepAliveTimeoutError", "StreamError"],
    code: "ERR_WEBSOCKET_KEEPALIVE_TIMEOUT",
  },
  ReadOverflowError: { instanceOf: ["ReadOverflowError", "StreamError"], code: "ERR_WEBSOCKET_READ_OVERFLOW" },
  WebSocketHandshakeError: {
    instanceOf: ["HandshakeError", "StreamError", "WebSocketHandshakeError"],
    code: "ERR_WEBSOCKET_HANDSHAKE",
  },
  QuicHandshakeError: {
    instanceOf: ["HandshakeError", "QuicHandshakeError", "StreamError"],
    code: "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
  },
};

describe("two installed copies of the packages", () => {
  it.skipIf(!built)(
    "errors made by either copy are instances of the other copy's classes in their chain, of no other, and keep their code (needs `pnpm build`)",
    async () => {
      const { stdout } = await run(process.execPath, [child, join(root, "a"), join(root, "b")], { timeout: 30_000 });
      const result = JSON.parse(stdout) as {
        distinctClasses: boolean;
        entryPoints: Record<string, boolean>;
        bMadeCheckedByA: unknown;
        aMadeCheckedByB: unknown;
      };
      expect(result.distinctClasses).toBe(true);
      // Each copy's entry points loaded from its own tree (websocket/server included), not the other's.
      const everyEntry = Object.fromEntries(Object.keys(entries).map((name) => [name, true]));
      expect(result.entryPoints).toEqual(everyEntry);
      expect(result.bMadeCheckedByA).toEqual(expected);
      expect(result.aMadeCheckedByB).toEqual(expected);
    },
  );
});
