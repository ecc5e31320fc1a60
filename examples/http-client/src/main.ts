/**
 * The HTTP/1.1 client example: a node:http server on 127.0.0.1 and a client on @asyncstreams/net
 * that reads its responses with readUntil, readExactly and readLine. Needs no network.
 *
 * Run: `pnpm --filter @asyncstreams/example-http-client start` after `pnpm build`.
 */
import { runHttpClient } from "./run-http-client.js";

await runHttpClient();
