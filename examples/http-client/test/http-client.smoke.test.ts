import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CHUNKED_PARTS, FIXED_BODY } from "../src/local-server.js";
import { runHttpClient } from "../src/run-http-client.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe("examples/http-client", () => {
  it("runHttpClient() reads Content-Length, chunked, 204 and 404 responses over one connection", async () => {
    const lines: string[] = [];
    const responses = await runHttpClient((line) => lines.push(line));

    const fixed = responses.get("/fixed");
    expect(fixed?.status).toBe(200);
    expect(fixed?.framing).toBe("content-length");
    expect(text(fixed?.body)).toBe(FIXED_BODY);

    const chunked = responses.get("/chunked");
    expect(chunked?.status).toBe(200);
    expect(chunked?.framing).toBe("chunked");
    expect(text(chunked?.body)).toBe(CHUNKED_PARTS.join(""));
    expect(chunked?.trailers.get("x-parts")).toBe(String(CHUNKED_PARTS.length));

    expect(responses.get("/empty")?.status).toBe(204);
    expect(responses.get("/empty")?.body.length).toBe(0);
    expect(responses.get("/missing")?.status).toBe(404);
    expect(text(responses.get("/missing")?.body)).toBe("not found\n");

    expect(lines[0]).toMatch(/^node:http server on 127\.0\.0\.1:\d+$/);
    expect(lines.at(-1)).toBe("four responses over one connection; closed");
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0",
    async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
      expect(stdout).toContain("GET /chunked -> 200 OK, chunked body");
      expect(stdout).toContain("four responses over one connection; closed");
    },
  );
});
