import type { StartTlsOptions, StreamWriter } from "@asyncstreams/writer";

/** Upgrades a fresh connection; on failure makes sure it is closed before re-throwing. */
export async function startTlsOrClose(writer: StreamWriter, options: StartTlsOptions): Promise<void> {
  try {
    await writer.startTls(options);
  } catch (error) {
    writer.close();
    throw error;
  }
}
