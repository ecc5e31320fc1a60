import { runKv } from "./run-kv.js";

await runKv();
