import type { WriterTransport } from "./writer-transport.js";

/** `process.emitWarning` where the runtime has it (Node, Bun, Deno), reached without naming `process`. */
const emitWarning = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process
  ?.emitWarning;

/**
 * asyncio's `StreamWriter.__del__`: a writer garbage-collected while its transport is still open
 * closes the transport and reports it, as a `ResourceWarning` (`process.emitWarning` on Node, Bun
 * and Deno; `console.warn` elsewhere). Without it a half-open connection whose writer was dropped
 * would hold its socket forever (reliability row C12). `StreamWriter` registers itself when made,
 * with its transport as the held value (which must not reference the writer), and unregisters in
 * `close()`.
 */
export const unclosedWriters: FinalizationRegistry<WriterTransport> = new FinalizationRegistry(
  (transport: WriterTransport) => {
    if (transport.isClosing()) return;
    transport.close();
    // Transports describe themselves with toString() (`<SocketTransport 127.0.0.1:8888>`).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const message = `unclosed <StreamWriter transport=${String(transport)}>: close() it, or use \`await using\``;
    if (emitWarning === undefined) console.warn(`ResourceWarning: ${message}`);
    else emitWarning.call((globalThis as { process?: unknown }).process, message, "ResourceWarning");
  },
);
