/**
 * The websocket-bridge example: one key-value line protocol served over TCP and over WebSocket.
 *
 * Run: `pnpm --filter @asyncstreams/example-websocket-bridge start` after `pnpm build`.
 */
import { runBridge } from "./run-bridge.js";

await runBridge();
