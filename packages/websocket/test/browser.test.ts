// The real-browser test: a Node server made with startWebSocketServer (attached to the HTTP server
// that also serves the page and the packages' dist/), and headless Chromium (Debian's `chromium`;
// .ci/run installs it) loading a page that imports the built main entry and talks to the server
// over the browser's own WebSocket. No mock anywhere. Skipped, with the reason, when dist/ is not
// built or no chromium is installed.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startWebSocketServer } from "../src/server/index.js";
import { patternByte } from "./browser/client.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (path) => path !== undefined && path !== "" && existsSync(path),
);
const built = ["buffer", "reader", "writer", "protocol", "websocket"].every((name) =>
  existsSync(join(repoRoot, "packages", name, "dist", "index.js")),
);
const servable = [
  /^packages\/websocket\/test\/browser\/(page\.html|client\.js)$/,
  /^packages\/(buffer|reader|writer|protocol|websocket)\/dist\/[\w/.-]+\.js(\.map)?$/,
];
const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};
const MiB = 1024 * 1024;
const encoder = new TextEncoder();

interface Report {
  runtime?: string;
  fatal?: string;
  results?: { name: string; ok: boolean; ms: number; error?: string }[];
}

if (!built || chromium === undefined) {
  console.warn(
    `browser.test.ts skipped: ${!built ? "run `pnpm build` first (the page loads dist/)" : "no chromium (apt-get install chromium; CHROMIUM_PATH overrides)"}`,
  );
}

describe.skipIf(!built || chromium === undefined)("@asyncstreams/websocket in headless Chromium", () => {
  it("the built main entry speaks a line protocol and a 1 MiB binary exchange with startWebSocketServer, over the browser's WebSocket and WebSocketStream", {
    timeout: 120_000,
  }, async () => {
    let deliver: (report: Report) => void = () => undefined;
    const reported = new Promise<Report>((resolve) => (deliver = resolve));
    const http = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname)).replace(
        /^\/+/,
        "",
      );
      if (request.method === "POST" && path === "result") {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          response.writeHead(204).end();
          deliver(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Report);
        });
        return;
      }
      const file = path === "" ? "packages/websocket/test/browser/page.html" : path;
      if (!servable.some((pattern) => pattern.test(file)) || !existsSync(join(repoRoot, file))) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {
        "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      response.end(readFileSync(join(repoRoot, file)));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const server = await startWebSocketServer(
      async (reader, writer) => {
        writer.write(encoder.encode("HELLO browser\n"));
        for (;;) {
          const line = new TextDecoder().decode(await reader.readLine());
          if (line === "" || line === "QUIT\n") break;
          if (line.startsWith("ECHO ")) writer.write(encoder.encode(line.slice(5)));
          else if (line === "FAIL\n") {
            (writer.getExtraInfo("websocket" as never) as { close(code: number, reason: string): void }).close(
              4001,
              "failed on request",
            );
            return;
          } else if (line.startsWith("BIN ")) {
            const size = Number(line.slice(4));
            const block = await reader.readExactly(size);
            let bad = -1;
            for (let i = 0; i < size && bad < 0; i++) if (block[i] !== patternByte(i)) bad = i;
            if (bad >= 0) throw new Error(`the browser's block differs at offset ${bad}`);
            for (let i = 0; i < size; i++) block[i] = block[i]! ^ 0x5a;
            for (let offset = 0; offset < size; offset += 64 * 1024) {
              writer.write(block.subarray(offset, offset + 64 * 1024));
              await writer.drain();
            }
            writer.write(encoder.encode(`OK ${size}\n`));
          } else if (line.startsWith("FLOOD ")) {
            // As fast as drain() lets it; what had gone 1 s in shows whether the browser held it back.
            const size = Number(line.slice(6));
            const chunk = new Uint8Array(64 * 1024).fill(0x61);
            let sent = 0;
            let early = -1;
            const mark = setTimeout(() => (early = sent), 1000);
            while (sent < size) {
              writer.write(chunk);
              sent += chunk.length;
              await writer.drain();
            }
            clearTimeout(mark);
            writer.write(encoder.encode(`SENT ${early < 0 ? sent : early}\n`));
          }
        }
        writer.write(encoder.encode("BYE\n"));
        writer.close();
      },
      {
        server: http,
        path: "/ws",
        maxPayload: 2 * MiB,
        selectProtocol: (offered) => (offered.includes("lines.v1") ? "lines.v1" : false),
        authorize: (request) => !(request.url ?? "").includes("refuse=1"),
      },
    );
    const profile = mkdtempSync(join(tmpdir(), "asyncstreams-ws-chromium-"));
    const { port } = http.address() as AddressInfo;
    const flags = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ];
    // Its own process group, so that the browser and every helper process it starts are killed together.
    const browser = spawn(chromium!, [...flags, `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`], {
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise<Report>((resolve) => {
      browser.on("error", (error) => resolve({ fatal: `chromium did not start: ${error.message}` }));
      browser.on("exit", (code) => resolve({ fatal: `chromium exited (${code}) before the page reported` }));
    });
    try {
      const report = await Promise.race([
        reported,
        exited,
        new Promise<Report>((resolve) =>
          setTimeout(() => resolve({ fatal: "the page did not report within 100 s" }), 100_000),
        ),
      ]);
      expect(report.fatal).toBeUndefined();
      const failed = (report.results ?? []).filter((result) => !result.ok);
      expect(failed).toEqual([]);
      // 4 checks over the WebSocket; where Chromium has a WebSocketStream, the 4 again over it plus the
      // back-pressure check.
      const names = report.results!.map((result) => result.name);
      expect(names.filter((name) => name.startsWith("WebSocket: "))).toHaveLength(4);
      expect(names.filter((name) => name.startsWith("WebSocketStream: ")).length).toBeOneOf([0, 5]);
      console.log(
        `browser.test.ts: ${report.runtime ?? "?"}: ${report.results!.map((result) => `${result.name} (${result.ms} ms)`).join("; ")}`,
      );
    } finally {
      try {
        process.kill(-browser.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      server.close();
      server.abortClients();
      await server.waitClosed();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
