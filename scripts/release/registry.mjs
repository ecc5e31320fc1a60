// @ts-check
// A throwaway npm registry: Verdaccio on 127.0.0.1 with its storage, config and user in a temp
// folder. It serves only the `@asyncstreams` scope and has no uplink, so nothing is proxied: every
// other package comes from the registry the machine already uses.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * @typedef {object} LocalRegistry
 * @property {string} url        `http://127.0.0.1:<port>/`
 * @property {string} token      a publish token for the user it created
 * @property {string} dir        its temp folder (storage, config, htpasswd)
 * @property {() => Promise<void>} stop  ends the server and removes the folder
 */

/** Creates `user` on the registry and returns its token (what `npm adduser` does). */
async function addUser(url, user, password) {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(user)}`, url), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      _id: `org.couchdb.user:${user}`,
      name: user,
      password,
      type: "user",
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = /** @type {{ token?: string, error?: string }} */ (await response.json());
  if (!response.ok || typeof body.token !== "string")
    throw new Error(`Cannot create a registry user: ${response.status} ${body.error ?? ""}`);
  return body.token;
}

/**
 * Starts Verdaccio and creates a publishing user.
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<LocalRegistry>}
 */
export async function startLocalRegistry({ timeoutMs = 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "asyncstreams-registry-"));
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, "storage"))}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
      "    max_users: 1",
      "uplinks: {}",
      "packages:",
      "  '@asyncstreams/*':",
      "    access: $all",
      "    publish: $authenticated",
      "    unpublish: $authenticated",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "server:",
      "  keepAliveTimeout: 60",
      "max_body_size: 50mb",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const server = spawn(process.execPath, [join(import.meta.dirname, "verdaccio-server.mjs"), config], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Verdaccio did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", (chunk) => (output += chunk.toString()));
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited with ${code} before listening:\n${output}`));
    });
  });
  // From here on its log is only kept for a failure report.
  server.removeAllListeners("exit");
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const token = await addUser(url, "release-ci", `pw-${process.pid}-${Date.now()}`);
    return { url, token, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
