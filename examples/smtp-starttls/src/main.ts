/**
 * The SMTP STARTTLS example: one session against the SMTP-style server on 127.0.0.1, printed as a
 * transcript (see session.ts).
 *
 * Run: `pnpm --filter @asyncstreams/example-smtp-starttls start` after `pnpm build`.
 */
import { runSmtpSession } from "./session.js";

await runSmtpSession();
