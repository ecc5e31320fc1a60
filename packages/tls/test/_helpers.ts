import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import type { Socket } from "node:net";
import { createInterface } from "node:readline";
import { TLSSocket, createSecureContext } from "node:tls";
import type { SecureContext } from "node:tls";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { startRawServer, within } from "../../net/test/_helpers.js";
import type { RawServer } from "../../net/test/_helpers.js";

// The net package's test helpers, shared rather than copied.
export {
  HOST,
  bytes,
  closeAtEnd,
  closeServerAtEnd,
  collect,
  concat,
  deferred,
  macrotasks,
  nextEvent,
  portOf,
  serveHttp,
  startRawServer,
  tcpSocketHandles,
  tempDir,
  text,
  track,
  until,
  within,
} from "../../net/test/_helpers.js";
export type { Deferred, RawServer, Tracked } from "../../net/test/_helpers.js";

/** The absolute path of a file in `test/fixtures/` (made by `fixtures/make-certs.sh`). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

function pem(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

/** The test CA's certificate: what clients trust. */
export const CA = pem("ca.pem");
/** CA-signed, for DNS:localhost and IP:127.0.0.1. */
export const SERVER = { key: pem("server-key.pem"), cert: pem("server.pem") };
/** CA-signed, for DNS:localhost only: no IP address in its names. */
export const LOCALHOST_ONLY = { key: pem("localhost-only-key.pem"), cert: pem("localhost-only.pem") };
/** CA-signed, for localhost and 127.0.0.1, but valid only during the year 2000. */
export const EXPIRED = { key: pem("expired-key.pem"), cert: pem("expired.pem") };
/** Self-signed for localhost and 127.0.0.1: no CA vouches for it. */
export const SELF_SIGNED = { key: pem("self-signed-key.pem"), cert: pem("self-signed.pem") };
/** A CA-signed client certificate. */
export const CLIENT = { key: pem("client-key.pem"), cert: pem("client.pem") };

/** A secure context for hand-made Node TLS peers. */
export function serverContext(identity: { key: string; cert: string } = SERVER): SecureContext {
  return createSecureContext(identity);
}

/**
 * A raw TCP server on 127.0.0.1 whose connections are wrapped in a server-side Node `TLSSocket`
 * (no asyncstreams code): `onSecure` gets the TLS socket and the raw socket under it once the
 * handshake is done, so a test can also misbehave on the raw socket (truncate, corrupt).
 */
export async function startNodeTlsPeer(
  onSecure: (secure: TLSSocket, raw: Socket) => void,
  identity: { key: string; cert: string } = SERVER,
): Promise<RawServer> {
  const secureContext = serverContext(identity);
  return startRawServer((raw) => {
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    secure.on("error", () => undefined);
    secure.once("secure", () => onSecure(secure, raw));
  });
}

/** A free TCP port on 127.0.0.1 right now: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("The probe server has no TCP address");
  return address.port;
}

/** A child process peer (openssl, python3) with line access to its output. */
export interface ChildPeer {
  readonly child: ChildProcess;
  /** The next line of its stdout; throws if it ends first or `ms` pass. */
  nextLine(ms?: number): Promise<string>;
  /** Waits for a stdout line that `match` accepts, skipping others. */
  lineMatching(match: (line: string) => boolean, ms?: number): Promise<string>;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Writes to its stdin. */
  send(data: string): void;
  /** Resolves with its exit code (null when killed by a signal) once it exits. */
  readonly exited: Promise<number | null>;
  /** Kills it (SIGKILL) unless it already exited, and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns `command args`; the process is killed at the end of the test, whatever happens. Its stdin
 * stays open until then (openssl s_client sends what is written there; the Python peers' watchdog
 * exits when it closes).
 */
export function spawnPeer(command: string, args: readonly string[], options: { cwd?: string } = {}): ChildPeer {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], cwd: options.cwd });
  let out = "";
  let errors = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  child.stdin.on("error", () => undefined); // the peer may exit before reading everything
  const lines: string[] = [];
  const waiters: ((line: string | null) => void)[] = [];
  let ended = false;
  const input = createInterface({ input: child.stdout });
  input.on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  input.on("close", () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter(null);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const name = `${command} ${args.slice(0, 2).join(" ")}`;
  const nextLine = async (ms = 10_000): Promise<string> => {
    const ready = lines.shift();
    if (ready !== undefined) return ready;
    if (ended) throw new Error(`${name} ended its output; stderr: ${errors}`);
    const line = await within(new Promise<string | null>((resolve) => waiters.push(resolve)), ms, `a line from ${name}; stderr so far: ${errors}`);
    if (line === null) throw new Error(`${name} ended its output; stderr: ${errors}`);
    return line;
  };
  const peer: ChildPeer = {
    child,
    nextLine,
    async lineMatching(match, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = await nextLine(Math.max(1, deadline - Date.now()));
        if (match(line)) return line;
      }
    },
    stdout: () => out,
    stderr: () => errors,
    send(data) {
      child.stdin.write(data);
    },
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await within(exited, 5_000, `${name} to exit`);
    },
  };
  onTestFinished(() => peer.kill());
  return peer;
}

/** Runs `python3 test/python/<script> ...args` (standard library only); killed at the end of the test. */
export function spawnPython(script: string, args: readonly string[] = []): ChildPeer {
  const path = fileURLToPath(new URL(`./python/${script}`, import.meta.url));
  return spawnPeer("python3", ["-u", "-B", path, ...args]);
}

/** The port a Python peer printed on its first line. */
export async function portFrom(peer: ChildPeer): Promise<number> {
  const line = await peer.nextLine(10_000);
  const port = Number(line);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`The peer printed ${line}; stderr: ${peer.stderr()}`);
  return port;
}
