// @ts-check
// WS1, lines over a WebSocket: the `ws` server both implementations read from, the asyncstreams
// client (openWebSocketConnection over ws's WebSocket) and the node-raw client (a ws 'message'
// handler splitting lines by hand).
import { nodeByteSearch } from "@asyncstreams/net";
import { openWebSocketConnection } from "@asyncstreams/websocket";
import WebSocket, { WebSocketServer } from "ws";
import { expectCount } from "../lib/memory-harness.js";
import { HOST, startClock } from "../lib/net-harness.js";
import { LINE } from "../workloads/w1-lines.js";
import { LineSplitter } from "./node-raw-net.js";

/** @import { WorkloadParams, PassResult } from "../lib/types.js" */

const LINES_PER_MESSAGE = 1024;
const IN_FLIGHT = 1024 * 1024;

/**
 * A ws server that, once a client sends anything, sends `items` lines in 64 KiB messages with at
 * most 1 MiB buffered, then closes with 1000.
 *
 * @param {number} items
 */
async function lineServer(items) {
  const message = new Uint8Array(LINE.length * LINES_PER_MESSAGE);
  for (let i = 0; i < LINES_PER_MESSAGE; i++) message.set(LINE, i * LINE.length);
  const wss = new WebSocketServer({ host: HOST, port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once("listening", resolve));
  wss.on("connection", (ws) => {
    ws.once("message", () => {
      let left = items;
      // Each send's callback pumps again; the last one closes. At most IN_FLIGHT bytes wait in ws.
      const pump = () => {
        while (left > 0 && ws.bufferedAmount < IN_FLIGHT) {
          const lines = Math.min(left, LINES_PER_MESSAGE);
          left -= lines;
          ws.send(
            lines === LINES_PER_MESSAGE ? message : message.subarray(0, lines * LINE.length),
            left === 0 ? () => ws.close(1000) : pump,
          );
        }
      };
      pump();
    });
  });
  const address = /** @type {import("node:net").AddressInfo} */ (wss.address());
  return {
    url: `ws://${HOST}:${address.port}/`,
    close: () => new Promise((resolve) => wss.close(() => resolve(undefined))),
  };
}

/**
 * asyncstreams: readLine() until EOF, or readLines() until `[]` when `params.batch` is set.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
export async function asyncstreamsWs1(params) {
  const items = params.items ?? 0;
  const server = await lineServer(items);
  try {
    const { reader, writer } = await openWebSocketConnection(server.url, {
      WebSocket: /** @type {never} */ (WebSocket),
      limit: params.limit,
      search: nodeByteSearch,
    });
    const stop = startClock();
    writer.write(new Uint8Array([0x47])); // "G": go
    let lines = 0;
    let wrong = 0;
    if (params.batch === true) {
      for (let batch = await reader.readLines(); batch.length > 0; batch = await reader.readLines()) {
        for (const line of batch) {
          if (line.length !== 64 || line[63] !== 10) wrong++;
          lines++;
        }
      }
    } else {
      for (;;) {
        const line = await reader.readLine();
        if (line.length === 0) break;
        if (line.length !== 64 || line[63] !== 10) wrong++;
        lines++;
      }
    }
    const result = stop();
    expectCount("WS1 line count", lines, items);
    expectCount("WS1 malformed lines", wrong, 0);
    writer.close();
    return result;
  } finally {
    await server.close();
  }
}

/**
 * node-raw: a ws client splitting lines in its 'message' handler.
 *
 * @param {WorkloadParams} params
 * @returns {Promise<PassResult>}
 */
export async function nodeRawWs1(params) {
  const items = params.items ?? 0;
  const server = await lineServer(items);
  try {
    const ws = new WebSocket(server.url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    let lines = 0;
    let wrong = 0;
    const splitter = new LineSplitter(params.limit, (line) => {
      if (line.length !== 64 || line[63] !== 10) wrong++;
      lines++;
    });
    const stop = startClock();
    const closed = new Promise((resolve) => ws.once("close", resolve));
    ws.on("message", (/** @type {Buffer} */ data) => splitter.push(data));
    ws.send(new Uint8Array([0x47]));
    await closed;
    const result = stop();
    expectCount("WS1 line count", lines, items);
    expectCount("WS1 malformed lines", wrong, 0);
    return result;
  } finally {
    await server.close();
  }
}
