/**
 * The asyncstreams demo: a key-value server and client speaking a line-and-length protocol over TCP
 * on 127.0.0.1, with asyncio's reader semantics, then over TLS and over a STARTTLS upgrade. Run it
 * with `pnpm demo` (or `pnpm --filter @asyncstreams/example-demo start` after `pnpm build`).
 */
import { runDemo } from "./tour.js";

await runDemo();
