import type { StreamReader } from "./stream-reader.js";

/** Strong references: the kept reader lives as long as this module. */
const kept: StreamReader[] = [];

/**
 * Whether the warm-up has run. Read by every `StreamReader` constructor (one load and a branch), so
 * that importing the package does no work: `sideEffects: false` promises bundlers exactly that.
 */
export let shapesKept = false;

/**
 * Makes one reader and runs it through the synchronous paths a working reader takes (first-chunk
 * and spanning lines, a separator, exact and partial reads, pause and resume), then keeps it alive.
 *
 * Why: V8 attaches optimized code to the hidden classes of `StreamReader` and `ByteBuffer`. When
 * no instance is left alive, a full garbage collection frees those classes, throws the optimized
 * code away, and the next reader starts again from the interpreter. Programs that use one reader
 * at a time (a command-line tool, sequential client requests, a benchmark that collects between
 * passes) paid that warm-up again and again: about 80 deoptimizations and 20 % more CPU time over
 * six W3 passes (bench/RESULTS.md). One small reader that lives as long as the module keeps the
 * classes, with their fields already in their working representations, and so keeps the code.
 *
 * It runs once, from the first `StreamReader` constructor, not at module load: a program that
 * imports the package and never makes a reader pays nothing.
 *
 * @param make Makes a new reader with `limit` 4 and no transport; it is kept for the life of the
 *   process. Called once: the flag is set first, so the reader it makes does not warm up again.
 */
export function keepShapes(make: () => StreamReader): void {
  if (shapesKept) return;
  shapesKept = true;
  const reader = make();
  kept.push(reader);
  const encoder = new TextEncoder();
  reader.setTransport({ pauseReading() {}, resumeReading() {} });
  reader.feedData(encoder.encode("ab\nc"));
  reader.feedData(encoder.encode("d\r\n\r\nxyz12")); // 14 bytes > 2 × limit: pauses
  void reader.readLine(); // inside the first chunk: a view
  void reader.readLine(); // across both chunks: a copy
  void reader.readUntil(encoder.encode("\r\n"));
  void reader.readExactly(3); // 2 bytes left: resumes
  void reader.read(8);
}
