/**
 * The SMTP STARTTLS example: starts the SMTP-style server on 127.0.0.1 (a free port), then drives
 * one session with a client on @asyncstreams/net: plain EHLO, STARTTLS, the in-place upgrade
 * verified with the example CA, EHLO again over TLS, one message, QUIT. Prints the transcript.
 *
 * Run: `pnpm --filter @asyncstreams/example-smtp-starttls build && node examples/smtp-starttls/dist/main.js`
 */
import { readFileSync } from "node:fs";
import { SmtpClient } from "./smtp-client.js";
import { startSmtpServer } from "./smtp-server.js";

const certificate = (name: string): string => readFileSync(new URL(`../certs/${name}`, import.meta.url), "utf8");

const server = await startSmtpServer({
  host: "127.0.0.1",
  port: 0,
  tls: { key: certificate("server-key.pem"), cert: certificate("server.pem") },
  onMessage: (message) => console.log(`   [server] accepted a message from <${message.from}> to ${message.to.map((to) => `<${to}>`).join(", ")}, ${message.data.length} bytes, over TLS: ${message.secure}`),
});
const [address] = server.addresses();
if (address === undefined || typeof address === "string") throw new Error("The SMTP server has no TCP address");
console.log(`SMTP server with STARTTLS on ${address.address}:${address.port}\n`);

const client = await SmtpClient.connect({ host: address.address, port: address.port, log: (line) => console.log(line) });
await client.command("EHLO client.example", "250");
// Refused before TLS: this server requires STARTTLS first.
await client.command("MAIL FROM:<alice@example.com>", "530");
await client.startTls({ ca: certificate("ca.pem"), serverName: "localhost" });
const capabilities = await client.command("EHLO client.example", "250");
console.log(`-- STARTTLS still offered after the upgrade: ${capabilities.some((line) => line.includes("STARTTLS"))}`);
await client.command("MAIL FROM:<alice@example.com>", "250");
await client.command("RCPT TO:<bob@example.com>", "250");
await client.data("Subject: hello over STARTTLS\r\n\r\nThis line went through TLS.\r\n.A line that starts with a dot.");
await client.command("NOOP", "250");
await client.quit();

server.close();
await server.waitClosed();
