// @ts-check
// The browser side of browser.test.ts: the built main entry over the browser's own WebSocket.
import { openWebSocketConnection } from "@asyncstreams/websocket";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MiB = 1024 * 1024;
/** What the back-pressure check asks the server to send. */
const FLOOD = 32 * MiB;

/**
 * The byte at `index` of the 1 MiB block each side sends (the server sends it XOR 0x5a).
 * @param {number} index
 */
export const patternByte = (index) => (index * 31 + 7) & 0xff;

/**
 * Runs every check against the server at `url` and returns the report.
 * @param {string} url
 */
export async function runBrowserClient(url) {
  // Each check over the WebSocket, and again over the WebSocketStream where the browser has one.
  const modes = typeof (/** @type {any} */ (globalThis).WebSocketStream) === "function" ? [false, true] : [false];
  /** @type {{ name: string, ok: boolean, ms: number, error?: string }[]} */
  const results = [];
  for (const webSocketStream of modes) results.push(...(await runChecks(url, webSocketStream)));
  return { runtime: navigator.userAgent, results };
}

/**
 * Runs every check with the given `webSocketStream` option.
 * @param {string} url
 * @param {boolean} webSocketStream
 */
async function runChecks(url, webSocketStream) {
  const label = webSocketStream ? "WebSocketStream" : "WebSocket";
  /** @type {{ name: string, ok: boolean, ms: number, error?: string }[]} */
  const results = [];
  /** Where the running check is, for the message of a check that times out. */
  let step = "start";
  /**
   * @param {string} name
   * @param {() => Promise<void>} body
   */
  const check = async (name, body) => {
    step = "start";
    name = `${label}: ${name}`;
    const started = performance.now();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    try {
      // Bounded, so that one stuck check is reported by name instead of hanging the page.
      await Promise.race([
        body(),
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after 20 s at: ${step}`)), 20_000)),
        ),
      ]);
      results.push({ name, ok: true, ms: Math.round(performance.now() - started) });
    } catch (error) {
      results.push({
        name,
        ok: false,
        ms: Math.round(performance.now() - started),
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  };
  const expect = (/** @type {boolean} */ condition, /** @type {string} */ message) => {
    if (!condition) throw new Error(message);
  };

  await check("a line protocol: greeting, 200 echoed lines, then the server's close is EOF", async () => {
    const { reader, writer } = await openWebSocketConnection(url, {
      protocols: ["lines.v1"],
      handshakeTimeout: 10_000,
      webSocketStream,
    });
    expect(
      writer.getExtraInfo("subprotocol") === "lines.v1",
      `subprotocol ${String(writer.getExtraInfo("subprotocol"))}`,
    );
    step = "greeting";
    const greeting = decoder.decode(await reader.readLine());
    expect(greeting === "HELLO browser\n", `greeting ${JSON.stringify(greeting)}`);
    const lines = Array.from({ length: 200 }, (_, i) => `ECHO line ${i} ${"x".repeat(i)}\n`);
    // Several lines per write and lines across writes: message boundaries must not matter.
    writer.write(encoder.encode(lines.slice(0, 100).join("")));
    for (const line of lines.slice(100)) {
      writer.write(encoder.encode(line.slice(0, 3)));
      writer.write(encoder.encode(line.slice(3)));
    }
    step = "drain";
    await writer.drain();
    step = "echoes";
    for (const line of lines) {
      const reply = decoder.decode(await reader.readLine());
      expect(reply === line.slice(5), `expected ${JSON.stringify(line.slice(5))}, got ${JSON.stringify(reply)}`);
    }
    step = "bye";
    writer.write(encoder.encode("QUIT\n"));
    const bye = decoder.decode(await reader.readLine());
    expect(bye === "BYE\n", `bye ${JSON.stringify(bye)}`);
    step = "eof";
    const rest = await reader.read();
    expect(rest.length === 0 && reader.atEof(), "the server's close 1000 is not EOF");
    step = "waitClosed";
    await writer.waitClosed();
  });

  await check("a 1 MiB binary exchange each way, byte for byte", async () => {
    const { reader, writer } = await openWebSocketConnection(url, { handshakeTimeout: 10_000, webSocketStream });
    await reader.readLine(); // greeting
    writer.write(encoder.encode(`BIN ${MiB}\n`));
    const block = new Uint8Array(MiB);
    for (let i = 0; i < MiB; i++) block[i] = patternByte(i);
    for (let offset = 0; offset < MiB; offset += 64 * 1024) {
      writer.write(block.subarray(offset, offset + 64 * 1024));
      await writer.drain();
    }
    const back = await reader.readExactly(MiB);
    let bad = -1;
    for (let i = 0; i < MiB && bad < 0; i++) if (back[i] !== (patternByte(i) ^ 0x5a)) bad = i;
    expect(bad < 0, `the bytes back differ at offset ${bad}`);
    const done = decoder.decode(await reader.readLine());
    expect(done === `OK ${MiB}\n`, `after the block ${JSON.stringify(done)}`);
    writer.close();
    await writer.waitClosed();
  });

  await check("the server's close with 4001 is a ConnectionResetError with closeCode and reason", async () => {
    const { reader, writer } = await openWebSocketConnection(url, { handshakeTimeout: 10_000, webSocketStream });
    await reader.readLine(); // greeting
    writer.write(encoder.encode("FAIL\n"));
    /** @type {any} */
    let error;
    try {
      await reader.readLine();
    } catch (caught) {
      error = caught;
    }
    expect(error !== undefined && error.name === "ConnectionResetError", `got ${String(error)}`);
    expect(
      error.code === "ECONNRESET" && error.closeCode === 4001 && error.reason === "failed on request",
      `got ${error.code} ${error.closeCode} ${error.reason}`,
    );
    // As asyncio's wait_closed(): the connection ended with that error.
    const closed = await writer.waitClosed().then(
      () => "resolved",
      (/** @type {unknown} */ caught) => caught,
    );
    expect(closed === error, `waitClosed() settled with ${String(closed)}`);
  });

  await check(
    "a refused upgrade rejects with a WebSocketHandshakeError that says the browser gives no detail",
    async () => {
      /** @type {any} */
      let error;
      try {
        await openWebSocketConnection(url.replace(/\/ws$/, "/ws?refuse=1"), {
          handshakeTimeout: 10_000,
          webSocketStream,
        });
      } catch (caught) {
        error = caught;
      }
      expect(
        error !== undefined && error.name === "WebSocketHandshakeError" && error.code === "ERR_WEBSOCKET_HANDSHAKE",
        `got ${String(error)}`,
      );
      expect(/gives no detail/.test(error.message), error.message);
    },
  );

  // A WebSocket cannot stop reading (it would close with 1009 past maxReadBuffer): stream only.
  if (webSocketStream) {
    await check(
      "a paused reader holds the server back: 32 MiB that nobody reads for 1.5 s stay mostly on the server",
      async () => {
        const { reader, writer } = await openWebSocketConnection(url, { handshakeTimeout: 10_000, webSocketStream });
        expect(writer.getExtraInfo("webSocketStream") === true, "not over a WebSocketStream");
        await reader.readLine(); // greeting
        writer.write(encoder.encode(`FLOOD ${FLOOD}\n`));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const block = await reader.readExactly(FLOOD);
        expect(
          block.every((byte) => byte === 0x61),
          "the flood's bytes differ",
        );
        const sent = decoder.decode(await reader.readLine());
        const early = Number(/^SENT (\d+)\n$/.exec(sent)?.[1] ?? NaN);
        // TCP's buffers and the browser's own take some; the rest must wait for the reader.
        expect(early <= FLOOD / 2, `the server had sent ${early} of ${FLOOD} bytes 1 s into the flood`);
        writer.close();
        await writer.waitClosed();
      },
    );
  }
  return results;
}
