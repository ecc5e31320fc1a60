// `node --conditions=@asyncstreams/source --import ./_reliability-ts-register.mjs child.mjs`: see _reliability-ts-hooks.mjs.
import { register } from "node:module";

register("./_reliability-ts-hooks.mjs", import.meta.url);
