/**
 * The echo example: an echo server and client over TCP on 127.0.0.1.
 *
 * Run: `pnpm --filter @asyncstreams/example-echo start` after `pnpm build`.
 */
import { runEcho } from "./run-echo.js";

await runEcho();
