// `node --conditions=@asyncstreams/source --import <this file> script`: runs the packages' TypeScript
// sources in a plain Node process, as Vitest does, so that no build is needed (see ts-hooks.mjs).
// Used by the reliability tests' child processes and by scripts/check-examples.mjs.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
