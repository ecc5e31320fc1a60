// @ts-check
// The QUIC bench's stream and its two readers, shared by the Node and the Deno runs: N lines of 63
// `x` + `\n` written on one QUIC stream in 64 KiB chunks, then FIN.

export const LINE = 64;

/**
 * The stream, cut into 64 KiB chunks (each its own buffer) before the clock starts.
 *
 * @param {number} lines
 * @returns {Uint8Array[]}
 */
export function lineChunks(lines) {
  const all = new Uint8Array(lines * LINE).fill(0x78);
  for (let i = LINE - 1; i < all.length; i += LINE) all[i] = 0x0a;
  const chunks = [];
  for (let at = 0; at < all.length; at += 65_536) chunks.push(all.slice(at, at + 65_536));
  return chunks;
}

/**
 * The stack read directly: a hand-written line splitter over the stack's Web ReadableStream, what
 * a user would write without this package. Each line is taken as a view of its chunk (copied only
 * when it straddles two chunks) and checked for its length, as the package's loop checks it.
 *
 * @param {ReadableStream<Uint8Array>} readable
 * @returns {Promise<number>} lines seen
 */
export async function countLinesDirect(readable) {
  let lines = 0;
  /** @type {Uint8Array} */
  let carry = new Uint8Array(0);
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return lines;
    let start = 0;
    let at = value.indexOf(0x0a);
    while (at !== -1) {
      let line = value.subarray(start, at + 1);
      if (carry.length > 0) {
        const joined = new Uint8Array(carry.length + line.length);
        joined.set(carry);
        joined.set(line, carry.length);
        line = joined;
        carry = new Uint8Array(0);
      }
      if (line.length !== LINE) throw new Error(`a line of ${line.length} bytes`);
      lines += 1;
      start = at + 1;
      at = value.indexOf(0x0a, start);
    }
    if (start < value.length) {
      // The start of the next line; a chunk with no newline at all adds to it.
      const rest = value.subarray(start);
      const joined = new Uint8Array(carry.length + rest.length);
      joined.set(carry);
      joined.set(rest, carry.length);
      carry = joined;
    }
  }
}

/**
 * The package: `readLine()` until EOF, each line checked for its length.
 *
 * @param {{ readLine(): Promise<Uint8Array> }} reader
 * @returns {Promise<number>} lines read
 */
export async function countLinesPackage(reader) {
  let lines = 0;
  for (;;) {
    const line = await reader.readLine();
    if (line.length === 0) return lines;
    if (line.length !== LINE) throw new Error(`a line of ${line.length} bytes`);
    lines += 1;
  }
}

/**
 * The package's batch read: `readLines()` until it returns `[]` (one await per batch of buffered
 * lines, as the hand-written splitter has no await per line), each line checked for its length.
 *
 * @param {{ readLines(): Promise<Uint8Array[]> }} reader
 * @returns {Promise<number>} lines read
 */
export async function countLinesPackageBatch(reader) {
  let lines = 0;
  for (let batch = await reader.readLines(); batch.length > 0; batch = await reader.readLines()) {
    for (const line of batch) {
      if (line.length !== LINE) throw new Error(`a line of ${line.length} bytes`);
      lines += 1;
    }
  }
  return lines;
}

/** @typedef {{ write(data: Uint8Array): void, close(): void }} PassWriter */

/**
 * The package's two rows for one connection: `asyncstreams` (`readLine()`) and
 * `asyncstreams-batch` (`readLines()`). Each pass opens a stream, sends the one byte that asks the
 * server for the lines, counts them, then closes the stream.
 *
 * @param {{ openStream(): Promise<{ reader: any, writer: PassWriter }> }} connection
 * @returns {Record<string, () => Promise<number>>}
 */
export function packagePasses(connection) {
  /** @param {(reader: any) => Promise<number>} count */
  const pass = async (count) => {
    const { reader, writer } = await connection.openStream();
    writer.write(new Uint8Array([1]));
    const lines = await count(reader);
    writer.close();
    return lines;
  };
  return {
    asyncstreams: () => pass(countLinesPackage),
    "asyncstreams-batch": () => pass(countLinesPackageBatch),
  };
}
