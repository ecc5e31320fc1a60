import { startServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { TlsOptions } from "@asyncstreams/tls";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message accepted by the server. */
export interface SmtpMessage {
  /** The MAIL FROM address. */
  from: string;
  /** The RCPT TO addresses, in order. */
  to: string[];
  /** The message, dot-unstuffed, with its CRLF line ends. */
  data: string;
  /** Whether the session used TLS when the message was sent. */
  secure: boolean;
}

/** Options for {@linkcode startSmtpServer}. */
export interface SmtpServerOptions {
  /** The address to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** The port; 0 picks a free one. Default 0. */
  port?: number;
  /** The certificate and key that STARTTLS upgrades with. */
  tls: TlsOptions;
  /** The name in the greeting and in EHLO answers. Default `"localhost"`. */
  hostname?: string;
  /** Refuse MAIL until STARTTLS has run (RFC 3207's policy for a submission server). Default `true`. */
  requireTls?: boolean;
  /** Called with each accepted message. */
  onMessage?: (message: SmtpMessage) => void;
}

/** The most a message may hold, as advertised with SIZE. */
const MAX_MESSAGE = 1024 * 1024;

/**
 * Starts a small SMTP-style server with STARTTLS (RFC 5321 / RFC 3207): enough of SMTP for a real
 * client such as `openssl s_client -starttls smtp`. It answers `220` on connect; `EHLO` lists
 * `STARTTLS` until the session is encrypted; `STARTTLS` answers `220 2.0.0 Ready to start TLS` and
 * upgrades the same connection with `writer.startTls()`, after which the session starts over
 * (a new EHLO is expected, as RFC 3207 requires). `HELO`, `MAIL FROM`, `RCPT TO`, `DATA`, `RSET`,
 * `NOOP` and `QUIT` are supported minimally; anything else gets `502`.
 *
 * Commands a client pipelined behind STARTTLS are never executed: they are handed to TLS as
 * ciphertext and fail the handshake (the STARTTLS injection of CVE-2011-0411).
 *
 * @param options Where to listen, the TLS certificate, and a message hook.
 * @returns The listening server.
 */
export async function startSmtpServer(options: SmtpServerOptions): Promise<Server> {
  const { host = "127.0.0.1", port = 0 } = options;
  return startServer((reader, writer) => serveSession(reader, writer, options), { host, port, limit: 4096 });
}

/** One SMTP session. */
async function serveSession(reader: StreamReader, writer: StreamWriter, options: SmtpServerOptions): Promise<void> {
  const { hostname = "localhost", requireTls = true, onMessage } = options;
  const reply = (line: string): void => writer.write(encoder.encode(`${line}\r\n`));
  let secure = false;
  let greeted = false;
  let from: string | undefined;
  let to: string[] = [];
  reply(`220 ${hostname} ESMTP asyncstreams`);
  try {
    for (;;) {
      let raw: Uint8Array;
      try {
        raw = await reader.readLine();
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_LIMIT_OVERRUN") throw error;
        reply("500 5.5.2 Line too long");
        continue;
      }
      if (raw.length === 0) return; // the client went away
      const line = decoder.decode(raw).replace(/\r?\n$/, "");
      const [verb = "", ...rest] = line.split(" ");
      const argument = rest.join(" ");
      switch (verb.toUpperCase()) {
        case "EHLO":
          greeted = true;
          from = undefined;
          to = [];
          reply(`250-${hostname} greets ${argument || "you"}`);
          reply(`250-SIZE ${MAX_MESSAGE}`);
          if (!secure) reply("250-STARTTLS");
          reply("250 8BITMIME");
          break;
        case "HELO":
          greeted = true;
          reply(`250 ${hostname}`);
          break;
        case "STARTTLS":
          if (secure) {
            reply("503 5.5.1 TLS already active");
            break;
          }
          reply("220 2.0.0 Ready to start TLS");
          try {
            await writer.startTls({ ...options.tls });
          } catch {
            return; // a failed handshake has already closed the connection; scanners do this daily
          }
          // RFC 3207: the session starts over; the client must say EHLO again.
          secure = true;
          greeted = false;
          from = undefined;
          to = [];
          break;
        case "MAIL": {
          const address = /^FROM:\s*<([^>]*)>/i.exec(argument)?.[1];
          if (!greeted) reply("503 5.5.1 Send EHLO first");
          else if (requireTls && !secure) reply("530 5.7.0 Must issue a STARTTLS command first");
          else if (address === undefined) reply("501 5.5.4 Syntax: MAIL FROM:<address>");
          else {
            from = address;
            to = [];
            reply("250 2.1.0 Ok");
          }
          break;
        }
        case "RCPT": {
          const address = /^TO:\s*<([^>]+)>/i.exec(argument)?.[1];
          if (from === undefined) reply("503 5.5.1 Need MAIL command");
          else if (address === undefined) reply("501 5.5.4 Syntax: RCPT TO:<address>");
          else {
            to.push(address);
            reply("250 2.1.5 Ok");
          }
          break;
        }
        case "DATA": {
          if (from === undefined || to.length === 0) {
            reply("503 5.5.1 Need RCPT command");
            break;
          }
          reply("354 End data with <CR><LF>.<CR><LF>");
          const data = await readMessage(reader);
          if (data === undefined) {
            reply("552 5.3.4 Message too big");
          } else {
            onMessage?.({ from, to, data, secure });
            reply("250 2.0.0 Ok: queued");
          }
          from = undefined;
          to = [];
          break;
        }
        case "RSET":
          from = undefined;
          to = [];
          reply("250 2.0.0 Ok");
          break;
        case "NOOP":
          reply("250 2.0.0 Ok");
          break;
        case "QUIT":
          reply("221 2.0.0 Bye");
          return;
        default:
          reply("502 5.5.2 Command not recognized");
      }
      await writer.drain();
    }
  } finally {
    writer.close();
    await writer.waitClosed().catch(() => undefined);
  }
}

/** Reads a DATA body up to the line `.`, undoing dot-stuffing; `undefined` when it is too big. */
async function readMessage(reader: StreamReader): Promise<string | undefined> {
  let message = "";
  let tooBig = false;
  for (;;) {
    const raw = await reader.readLine();
    if (raw.length === 0) throw new Error("Cannot read the message: the client went away");
    const line = decoder.decode(raw);
    if (line === ".\r\n" || line === ".\n") return tooBig ? undefined : message;
    if (!tooBig) message += line.startsWith(".") ? line.slice(1) : line;
    if (message.length > MAX_MESSAGE) {
      tooBig = true;
      message = "";
    }
  }
}
