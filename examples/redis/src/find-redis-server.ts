import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Finds the `redis-server` executable on `PATH` (Debian's package puts it in `/usr/bin`).
 *
 * @param path The search path. Default `process.env.PATH`.
 * @returns The executable's full path, or `undefined` when it is not installed.
 *
 * @example
 * ```ts
 * import { findRedisServer } from "./find-redis-server.js";
 *
 * console.log(findRedisServer() ?? "not installed: apt-get install -y redis-server");
 * ```
 */
export function findRedisServer(path: string = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, "redis-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here (or not executable): keep looking.
    }
  }
  return undefined;
}
