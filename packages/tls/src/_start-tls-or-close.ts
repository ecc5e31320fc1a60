import type { StartTlsOptions, StreamWriter } from "@asyncstreams/writer";

/** The action the transport's errors name: right for `writer.startTls()`, wrong for a TLS connector. */
const START_TLS = "Cannot start TLS";

/**
 * Upgrades a fresh connection; on failure makes sure it is closed before re-throwing, with the
 * error's action renamed to what the caller did ("Cannot start TLS" is for `startTls()` only).
 */
export async function startTlsOrClose(writer: StreamWriter, options: StartTlsOptions, action: string): Promise<void> {
  try {
    await writer.startTls(options);
  } catch (error) {
    writer.close();
    throw renameAction(error, action);
  }
}

/**
 * Replaces a leading "Cannot start TLS" in `error`'s message with `action`, in place (the error
 * keeps its class, code, cause and fields).
 *
 * @returns `error` itself.
 */
export function renameAction(error: unknown, action: string): unknown {
  if (error instanceof Error && error.message.startsWith(START_TLS))
    error.message = action + error.message.slice(START_TLS.length);
  return error;
}
