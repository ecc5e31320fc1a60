/**
 * The chat example: a line chat server and three clients on 127.0.0.1, one of them too slow.
 *
 * Run: `pnpm --filter @asyncstreams/example-chat start` after `pnpm build`.
 */
import { runChat } from "./run-chat.js";

await runChat();
