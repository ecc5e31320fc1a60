import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { bytes, deferred, text, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, sha256 } from "@asyncstreams/test-utils/node";
import { spawnPython } from "./_helpers.js";

const MiB = 1 << 20;
const BULK_SIZE = 64 * MiB;

function frame(payload: Uint8Array): Uint8Array {
  const result = new Uint8Array(4 + payload.length);
  new DataView(result.buffer).setUint32(0, payload.length);
  result.set(payload, 4);
  return result;
}

async function readFrame(reader: StreamReader): Promise<Uint8Array> {
  const header = await reader.readExactly(4);
  const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
  return reader.readExactly(length);
}

function reversed(data: Uint8Array): Uint8Array {
  return data.slice().reverse();
}

/** Starts `python/echo_server.py` (asyncio start_server) and returns its port. */
async function startPythonServer(): Promise<number> {
  const peer = spawnPython("echo_server.py");
  const line = await peer.nextLine(10_000);
  const port = Number(line);
  if (!Number.isInteger(port) || port <= 0)
    throw new Error(`python3 echo_server.py printed ${line}; stderr: ${peer.stderr()}`);
  return port;
}

describe("our openConnection() against CPython's asyncio start_server", () => {
  it("exchanges lines that come back in order", async () => {
    const port = await startPythonServer();
    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    const expected = Array.from({ length: 500 }, (_, i) => `line ${i} ${"y".repeat(i % 89)}\n`);
    writer.write(bytes("LINES\n"));
    for (const line of expected) writer.write(bytes(line));
    await writer.drain();
    writer.writeEof();
    const received: string[] = [];
    for await (const line of reader) received.push(text(line));
    expect(received).toEqual(expected);
    writer.close();
    await within(writer.waitClosed());
  });

  it("exchanges length-prefixed frames read with readExactly()", async () => {
    const port = await startPythonServer();
    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    writer.write(bytes("FRAMES\n"));
    for (const size of [1, 2, 3, 100, 4_096, 65_535, 65_536, 65_537, 200_000, 7]) {
      const payload = randomBytes(size);
      writer.write(frame(payload));
      await writer.drain();
      const answer = await within(readFrame(reader));
      expect(answer.length).toBe(size);
      expect(sha256(answer)).toBe(sha256(reversed(payload)));
    }
    writer.write(frame(new Uint8Array(0)));
    expect(text(await within(readFrame(reader)))).toBe("bye");
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
    writer.close();
    await within(writer.waitClosed());
  });

  it("half-closes: after our writeEof() the server answers with a summary of everything it read", async () => {
    const port = await startPythonServer();
    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    const body = bytes(Array.from({ length: 1_000 }, (_, i) => `record ${i}\n`).join(""));
    writer.write(bytes("HALFCLOSE\n"));
    writer.write(body);
    await writer.drain();
    writer.writeEof();
    expect(text(await within(reader.read()))).toBe(`bytes=${body.length} lines=1000 sha256=${sha256(body)}\n`);
    writer.close();
    await within(writer.waitClosed());
  });

  it("sends 64 MiB with drain() and gets every byte back unchanged", async () => {
    const port = await startPythonServer();
    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    const sentHash = createHash("sha256");
    const receivedHash = createHash("sha256");
    let received = 0;
    writer.write(bytes("BULK\n"));
    const sending = (async () => {
      for (let sent = 0; sent < BULK_SIZE; sent += MiB) {
        const chunk = randomBytes(MiB);
        sentHash.update(chunk);
        writer.write(chunk);
        await writer.drain();
      }
      writer.writeEof();
    })();
    const receiving = (async () => {
      for (;;) {
        const data = await reader.read(MiB);
        if (data.length === 0) break;
        receivedHash.update(data);
        received += data.length;
      }
    })();
    await within(Promise.all([sending, receiving]), 20_000, "the 64 MiB round trip");
    expect(received).toBe(BULK_SIZE);
    expect(receivedHash.digest("hex")).toBe(sentHash.digest("hex"));
    writer.close();
    await within(writer.waitClosed());
  });
});

interface ExchangeResult {
  exchange: string;
  error?: string;
  [key: string]: unknown;
}

/** The echo protocol of python/echo_server.py, served by our startServer(). */
function serveExchanges(bulk: {
  resolve(value: { size: number; sha256: string }): void;
}): (reader: StreamReader, writer: StreamWriter) => Promise<void> {
  return async (reader, writer) => {
    try {
      const mode = text(await reader.readLine()).trim();
      if (mode === "LINES") {
        for await (const line of reader) {
          writer.write(line);
          await writer.drain();
        }
      } else if (mode === "FRAMES") {
        for (;;) {
          const payload = await readFrame(reader);
          if (payload.length === 0) {
            writer.write(frame(bytes("bye")));
            break;
          }
          writer.write(frame(reversed(payload)));
          await writer.drain();
        }
      } else if (mode === "HALFCLOSE") {
        const data = await reader.read();
        const lines = data.reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 0);
        writer.write(bytes(`bytes=${data.length} lines=${lines} sha256=${sha256(data)}\n`));
      } else if (mode === "BULK") {
        const hash = createHash("sha256");
        let size = 0;
        for (;;) {
          const chunk = await reader.read(256 * 1024);
          if (chunk.length === 0) break;
          hash.update(chunk);
          size += chunk.length;
          writer.write(chunk);
          await writer.drain();
        }
        bulk.resolve({ size, sha256: hash.digest("hex") });
      }
      await writer.drain();
    } finally {
      writer.close();
      await writer.waitClosed();
    }
  };
}

/** Starts our server and runs `python/client.py` (asyncio open_connection) for one exchange. */
async function runPythonClient(
  exchange: string,
  timeoutMs = 10_000,
): Promise<{ result: ExchangeResult; bulk: Promise<{ size: number; sha256: string }>; failures: unknown[] }> {
  const failures: unknown[] = [];
  const bulk = deferred<{ size: number; sha256: string }>();
  const server = await startServer(serveExchanges(bulk), {
    host: HOST,
    port: 0,
    onError: (error) => failures.push(error),
  });
  closeServerAtEnd(server);
  const client = spawnPython("client.py", [String(portOf(server)), exchange]);
  const line = await client.nextLine(timeoutMs);
  const result = JSON.parse(line) as ExchangeResult;
  expect(await within(client.exited, 5_000, "python3 client.py to exit")).toBe(0);
  server.close();
  await within(server.waitClosed(), 5_000, "our server to close");
  return { result, bulk: bulk.promise, failures };
}

describe("CPython's asyncio open_connection against our startServer()", () => {
  it("exchanges lines that come back in order", async () => {
    const { result, failures } = await runPythonClient("lines");
    expect(result).toEqual({ exchange: "lines", sent: 500, received: 500, ok: true });
    expect(failures).toEqual([]);
  });

  it("exchanges length-prefixed frames read with readExactly()", async () => {
    const { result, failures } = await runPythonClient("frames");
    expect(result).toEqual({ exchange: "frames", frames: 10, mismatches: 0, bye: "bye", rest: 0 });
    expect(failures).toEqual([]);
  });

  it("half-closes: after the client's write_eof() we answer with a summary of everything we read", async () => {
    const { result, failures } = await runPythonClient("halfclose");
    expect(result.error).toBeUndefined();
    expect(result["summary"]).toBe(result["expected"]);
    expect(result["ok"]).toBe(true);
    expect(failures).toEqual([]);
  });

  it("echoes 64 MiB sent with drain() byte-exact", async () => {
    const { result, bulk, failures } = await runPythonClient("bulk", 25_000);
    expect(result.error).toBeUndefined();
    expect(result["received"]).toBe(BULK_SIZE);
    expect(result["receivedSha256"]).toBe(result["sentSha256"]);
    const ours = await within(bulk);
    expect(ours).toEqual({ size: BULK_SIZE, sha256: result["sentSha256"] });
    expect(failures).toEqual([]);
  });
});
