import { readFileSync } from "node:fs";
import { openConnection, startServer } from "@asyncstreams/net";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import { kvClient } from "./kv-client.js";
import { kvSession } from "./kv-session.js";

const certificate = (name: string): string => readFileSync(new URL(`../certs/${name}`, import.meta.url), "utf8");
const ALPN = ["kv/1"];

/** What {@linkcode runKv} saw. */
export interface KvRun {
  /** Answers over TCP to `SET a 1`, `GET b`. */
  tcp: string[];
  /** Answers over two QUIC streams of one connection. */
  quic: string[][];
}

/**
 * The whole example: one store, one handler, two transports. A TCP server and a QUIC server on
 * 127.0.0.1 both run `kvSession`; a TCP client sets a key the QUIC clients read, and the other
 * way round, over two concurrent streams of one QUIC connection.
 *
 * @param log Where each line of the transcript goes.
 * @returns The answers.
 */
export async function runKv(log: (line: string) => void = console.log): Promise<KvRun> {
  const store = new Map<string, string>();
  await using tcpServer = await startServer((reader, writer) => kvSession(reader, writer, store), {
    host: "127.0.0.1",
    port: 0,
  });
  await using quicServer = await startQuicServer((reader, writer) => kvSession(reader, writer, store), {
    host: "127.0.0.1",
    port: 0,
    tls: { key: certificate("server-key.pem"), cert: certificate("server.pem"), alpnProtocols: ALPN },
  });
  const tcpAddress = tcpServer.addresses()[0];
  const quicPort = quicServer.addresses()[0]?.port;
  if (typeof tcpAddress !== "object" || quicPort === undefined) throw new Error("A server has no address");
  log(`TCP on 127.0.0.1:${tcpAddress.port}, QUIC on 127.0.0.1:${quicPort}`);

  const tcp = await kvClient(await openConnection({ host: "127.0.0.1", port: tcpAddress.port }), ["SET a 1", "GET b"]);
  log(`TCP: ${tcp.join(", ")}`);

  const conn = await openQuicConnection({
    host: "127.0.0.1",
    port: quicPort,
    tls: { ca: certificate("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
  });
  try {
    const quic = await Promise.all([
      conn.openStream().then((streams) => kvClient(streams, ["GET a", "SET b 2"])),
      conn.openStream().then((streams) => kvClient(streams, ["GET a", "BAD"])),
    ]);
    quic.forEach((answers, i) => log(`QUIC stream ${i + 1}: ${answers.join(", ")}`));
    const after = await kvClient(await openConnection({ host: "127.0.0.1", port: tcpAddress.port }), ["GET b"]);
    log(`TCP again: ${after.join(", ")}`);
    return { tcp: [...tcp, ...after], quic };
  } finally {
    conn.close({ code: 0, reason: "bye" });
    await conn.closed;
    quicServer.closeClients();
  }
}
