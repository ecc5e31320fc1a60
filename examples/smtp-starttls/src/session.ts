/**
 * One SMTP session with STARTTLS, end to end: starts the SMTP-style server on 127.0.0.1 (a free
 * port), then drives it with a client on @asyncstreams/net: plain EHLO, STARTTLS, the in-place
 * upgrade verified with the example CA, EHLO again over TLS, one message, QUIT. `main.ts` prints the
 * transcript; the smoke test runs it in-process and reads it.
 */
import { readFileSync } from "node:fs";
import { SmtpClient } from "./smtp-client.js";
import { startSmtpServer } from "./smtp-server.js";

const certificate = (name: string): string => readFileSync(new URL(`../certs/${name}`, import.meta.url), "utf8");

/**
 * Runs the session and closes the server and the connection.
 *
 * @param log where each line of the transcript goes (`console.log` by default)
 */
export async function runSmtpSession(log: (line: string) => void = console.log): Promise<void> {
  const server = await startSmtpServer({
    host: "127.0.0.1",
    port: 0,
    tls: { key: certificate("server-key.pem"), cert: certificate("server.pem") },
    onMessage: (message) =>
      log(
        `   [server] accepted a message from <${message.from}> to ${message.to.map((to) => `<${to}>`).join(", ")}, ${message.data.length} bytes, over TLS: ${message.secure}`,
      ),
  });
  try {
    const [address] = server.addresses();
    if (address === undefined || typeof address === "string") throw new Error("The SMTP server has no TCP address");
    log(`SMTP server with STARTTLS on ${address.address}:${address.port}\n`);

    const client = await SmtpClient.connect({ host: address.address, port: address.port, log });
    await client.command("EHLO client.example", "250");
    // Refused before TLS: this server requires STARTTLS first.
    await client.command("MAIL FROM:<alice@example.com>", "530");
    await client.startTls({ ca: certificate("ca.pem"), serverName: "localhost" });
    const capabilities = await client.command("EHLO client.example", "250");
    log(`-- STARTTLS still offered after the upgrade: ${capabilities.some((line) => line.includes("STARTTLS"))}`);
    await client.command("MAIL FROM:<alice@example.com>", "250");
    await client.command("RCPT TO:<bob@example.com>", "250");
    await client.data(
      "Subject: hello over STARTTLS\r\n\r\nThis line went through TLS.\r\n.A line that starts with a dot.",
    );
    await client.command("NOOP", "250");
    await client.quit();
  } finally {
    server.close();
    await server.waitClosed();
  }
}
