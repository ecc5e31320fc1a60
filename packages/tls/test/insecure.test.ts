// The one test file allowed to turn verification off (reliability row D16; see
// no-insecure-tls.test.ts): it checks that the documented opt-out does exactly what it says.
import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { openConnection, startServer } from "@asyncstreams/tls";
import { bytes, deferred, text, within } from "@asyncstreams/test-utils";
import { CA, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

const echoLine: ClientConnectedCallback = async (reader, writer) => {
  writer.write(await reader.readLine());
  writer.close();
};

describe("the explicit insecure opt-out", () => {
  it("rejectUnauthorized: false lets a client reach a server nobody vouches for, marked unauthorized", async () => {
    const server = await startServer(echoLine, { host: HOST, port: 0, tls: SELF_SIGNED });
    closeServerAtEnd(server);
    const { reader, writer } = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, rejectUnauthorized: false } }),
    );
    closeAtEnd(writer);
    const secure = writer.getExtraInfo("sslObject") as TLSSocket;
    expect(secure.authorized).toBe(false);
    expect(secure.authorizationError as unknown).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    writer.write(bytes("insecure\n"));
    expect(text(await within(reader.readLine()))).toBe("insecure\n");
  });

  it("a server with requestCert and rejectUnauthorized: false lets an unverified client in, marked unauthorized", async () => {
    const seen = deferred<{ authorized: boolean; error: unknown }>();
    const server = await startServer(
      async (reader, writer) => {
        const secure = writer.getExtraInfo("sslObject") as TLSSocket;
        seen.resolve({ authorized: secure.authorized, error: secure.authorizationError });
        await echoLine(reader, writer);
      },
      { host: HOST, port: 0, tls: { ...SERVER, ca: CA, requestCert: true, rejectUnauthorized: false } },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await within(
      openConnection({ host: HOST, port: portOf(server), tls: { ca: CA, ...SELF_SIGNED } }),
    );
    closeAtEnd(writer);
    writer.write(bytes("let in\n"));
    expect(text(await within(reader.readLine()))).toBe("let in\n");
    expect(await within(seen.promise)).toEqual({ authorized: false, error: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });
});
