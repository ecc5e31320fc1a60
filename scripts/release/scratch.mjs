// @ts-check
// A scratch clone of the repository: the release flow versions, commits and tags there, so that CI
// never dirties (or tags) the real checkout. Changes not yet committed in the real checkout
// (tracked or untracked, not ignored) are carried over and committed in the clone, so a developer
// releases what they see.
import { copyFileSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { git } from "./run.mjs";

/**
 * Clones `root` into `<into>/repo` and returns the clone's path.
 * @param {string} root
 * @param {string} into
 */
export function scratchClone(root, into) {
  const dir = join(into, "repo");
  git(into, ["clone", "--quiet", "--no-hardlinks", root, dir]);
  // Release tags that exist in the real checkout come along (a clone copies them all).
  git(dir, ["config", "user.name", "asyncstreams release rehearsal"]);
  git(dir, ["config", "user.email", "release@asyncstreams.invalid"]);
  const status = git(root, ["status", "--porcelain=v1", "-z", "--untracked-files=all"]).split("\0").filter(Boolean);
  let carried = 0;
  for (let index = 0; index < status.length; index += 1) {
    const entry = status[index];
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code.startsWith("R") || code.startsWith("C")) index += 1; // the next field is the old name
    const from = join(root, file);
    const to = join(dir, file);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      rmSync(to, { force: true }); // deleted in the working tree
      carried += 1;
      continue;
    }
    if (!stat.isFile()) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    carried += 1;
  }
  if (carried > 0) {
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "--quiet", "--no-verify", "-m", "uncommitted changes of the real checkout"]);
  }
  return { dir, carried };
}
