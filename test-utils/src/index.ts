/**
 * @module
 * The project's own test helpers that run on every runtime (no `node:` imports): bytes and text,
 * promise tracking, bounded waits. Node-only helpers (loopback servers, child peers) are in
 * `@asyncstreams/test-utils/node`, the test certificates in `@asyncstreams/test-utils/certs`.
 * Private: never published. The conformance kit (`@asyncstreams/protocol/testing`) keeps its own
 * copies, since a published package cannot depend on this one.
 */
export { bytes, concat, text } from "./bytes.js";
export { deferred, rejectionOf, track } from "./track.js";
export type { Deferred, Tracked } from "./track.js";
export { watchUnhandledRejections } from "./unhandled-rejections.js";
export { eventLoopTurn, holdsBeforeMacrotask, runBriefly, sleep, until, within } from "./wait.js";
