import { HttpConnection } from "./http-connection.js";
import type { HttpResponse } from "./http-connection.js";
import { startLocalServer } from "./local-server.js";

const decoder = new TextDecoder();

/**
 * The whole example: starts a node:http server on 127.0.0.1, then sends four requests over one
 * kept-alive connection (Content-Length, chunked with a trailer, 204, 404) and prints each response.
 *
 * @param log Where each line of the transcript goes (`console.log` by default).
 * @returns The responses, keyed by path.
 */
export async function runHttpClient(log: (line: string) => void = console.log): Promise<Map<string, HttpResponse>> {
  const server = await startLocalServer();
  const responses = new Map<string, HttpResponse>();
  try {
    log(`node:http server on 127.0.0.1:${server.port}`);
    const connection = await HttpConnection.open({
      host: "127.0.0.1",
      port: server.port,
      signal: AbortSignal.timeout(10_000),
    });
    try {
      for (const path of ["/fixed", "/chunked", "/empty", "/missing"]) {
        const response = await connection.request("GET", path);
        responses.set(path, response);
        const text = decoder.decode(response.body);
        const shown =
          text.length > 40
            ? `${JSON.stringify(text.slice(0, 20))}... (${response.body.length} bytes)`
            : JSON.stringify(text);
        const trailers =
          response.trailers.size > 0 ? `, trailers ${JSON.stringify(Object.fromEntries(response.trailers))}` : "";
        const body = response.framing === "none" ? "no body" : `${response.framing} body ${shown}`;
        log(`GET ${path} -> ${response.status} ${response.reason}, ${body}${trailers}`);
      }
    } finally {
      await connection.close();
    }
    log("four responses over one connection; closed");
  } finally {
    await server.close();
  }
  return responses;
}
