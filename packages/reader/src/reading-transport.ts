/**
 * What a `StreamReader` needs from its transport: a way to stop and restart the flow of data, for
 * back-pressure. A transport that cannot pause throws `NotImplementedError` from `pauseReading()`;
 * the reader then forgets it and buffers everything, as asyncio does.
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader({ limit: 1024 });
 * reader.setTransport({ pauseReading: () => console.log("pause"), resumeReading: () => console.log("resume") });
 * ```
 */
export interface ReadingTransport {
  /** Stops delivering data until `resumeReading()`. */
  pauseReading(): void;
  /** Starts delivering data again. */
  resumeReading(): void;
}
