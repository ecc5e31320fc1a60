/**
 * @module
 * The test certificates in `test-utils/certs/` (made by `certs/make-certs.sh`, committed, valid
 * until 2125): every TLS-speaking test (TLS today; WebSocket over TLS and QUIC next) uses these.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The absolute path of a file in `test-utils/certs/`, for peers that take paths (openssl, python3). */
export function certPath(name: string): string {
  return fileURLToPath(new URL(`../certs/${name}`, import.meta.url));
}

function pem(name: string): string {
  return readFileSync(certPath(name), "utf8");
}

/** The test CA's certificate: what clients trust. */
export const CA: string = pem("ca.pem");
/** CA-signed, for DNS:localhost and IP:127.0.0.1. */
export const SERVER: { key: string; cert: string } = { key: pem("server-key.pem"), cert: pem("server.pem") };
/** CA-signed, for DNS:localhost only: no IP address in its names. */
export const LOCALHOST_ONLY: { key: string; cert: string } = {
  key: pem("localhost-only-key.pem"),
  cert: pem("localhost-only.pem"),
};
/** CA-signed, for localhost and 127.0.0.1, but valid only during the year 2000. */
export const EXPIRED: { key: string; cert: string } = { key: pem("expired-key.pem"), cert: pem("expired.pem") };
/** Self-signed for localhost and 127.0.0.1: no CA vouches for it. */
export const SELF_SIGNED: { key: string; cert: string } = {
  key: pem("self-signed-key.pem"),
  cert: pem("self-signed.pem"),
};
/** A CA-signed client certificate. */
export const CLIENT: { key: string; cert: string } = { key: pem("client-key.pem"), cert: pem("client.pem") };
