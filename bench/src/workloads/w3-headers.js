// @ts-check
import { bytes, cutPeriodic, totalLength } from "../lib/chunks.js";
import { expectCount } from "../lib/memory-harness.js";

/** @import { MemoryWorkload } from "../lib/types.js" */

export const BLOCK_SIZE = 1024;
export const HEADER_END = bytes("\r\n\r\n");

/**
 * The HTTP request head every W3 block repeats, exactly 1,024 bytes: lines ending "\r\n", the last
 * header padded to size, then the blank line. bench/python/inmemory.py builds the same bytes.
 */
export const BLOCK = (() => {
  const lines = [
    "GET /api/v1/items?page=2&sort=name HTTP/1.1",
    "Host: www.example.com",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language: en-US,en;q=0.5",
    "Accept-Encoding: gzip, deflate, br, zstd",
    "Referer: https://www.example.com/api/v1/items?page=1&sort=name",
    "Connection: keep-alive",
    "Cookie: session=8f2c1e7a9b3d4f60a1c2e3d4b5a69788; theme=dark; lang=en-US",
    "Upgrade-Insecure-Requests: 1",
    "Sec-Fetch-Dest: document",
    "Sec-Fetch-Mode: navigate",
    "Sec-Fetch-Site: same-origin",
    "Cache-Control: max-age=0",
    "X-Request-Id: 3b9d2c1e-5f47-4a8b-9c6d-0e1f2a3b4c5d",
  ];
  const head = lines.map((line) => `${line}\r\n`).join("");
  const name = "X-Trace-Context: ";
  const room = BLOCK_SIZE - head.length - name.length - 4;
  const value = "0123456789abcdef".repeat(Math.ceil(room / 16)).slice(0, room);
  const block = bytes(`${head}${name}${value}\r\n\r\n`);
  if (block.length !== BLOCK_SIZE) throw new Error(`W3 block is ${block.length} bytes, not ${BLOCK_SIZE}`);
  return block;
})();

/**
 * W3: 200,000 HTTP-like request heads of 1,024 bytes, each read with `readUntil("\r\n\r\n")`.
 * Measures multi-byte separator search: "\r" occurs on every line, so a search that scans for
 * the first separator byte meets about 17 false candidates per block.
 *
 * @type {MemoryWorkload}
 */
export const w3Headers = {
  id: "W3",
  base: "W3",
  kind: "memory",
  title: "200,000 HTTP-like header blocks of 1,024 bytes; readUntil('\\r\\n\\r\\n')",
  unit: "MB/s",
  better: "higher",
  params: (quick) => ({ items: quick ? 20_000 : 200_000, limit: 65_536 }),
  warmup: (params) => ({ ...params, items: Math.ceil((params.items ?? 0) / 10) }),
  build(params) {
    const chunks = cutPeriodic(BLOCK, params.items ?? 0);
    return { chunks, bytes: totalLength(chunks) };
  },
  async consume(reader, _data, params) {
    const blocks = params.items ?? 0;
    let wrong = 0;
    for (let i = 0; i < blocks; i++) {
      const block = await reader.readUntil(HEADER_END);
      if (block.length !== BLOCK_SIZE || block[0] !== 0x47) wrong++;
    }
    const rest = await reader.read();
    expectCount("W3 malformed blocks", wrong, 0);
    expectCount("W3 bytes left after the last block", rest.length, 0);
  },
  figure: (params, seconds) => ((params.items ?? 0) * BLOCK_SIZE) / seconds / 1e6,
};
