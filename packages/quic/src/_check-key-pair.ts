import { createPrivateKey, X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";

const PROBLEMS = {
  cert: "tls.cert is not a PEM certificate",
  key: "tls.key is not an unencrypted PEM private key",
  mismatch: "tls.key is not the private key of tls.cert's first certificate (the leaf must come first)",
} as const;

/**
 * Refuses a server key and certificate that cannot work together, before any socket is bound and
 * with the same errors on every stack. Without it, matrixai (Node) takes them without a word, binds
 * its socket, and fails every handshake, so a wrong file shows up as clients timing out far from its
 * cause; Deno throws its own `InvalidData` or a plain `Error`, after binding a port it frees only at
 * garbage collection. `node:crypto` is Deno's too.
 *
 * @throws {TypeError} When `cert` holds no certificate, `key` no unencrypted private key, or the
 *   key is not the leaf certificate's.
 */
export function checkKeyPair(key: string, cert: string): void {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw keyPairError("cert", error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw keyPairError("key", error);
  }
  if (!leaf.checkPrivateKey(privateKey)) throw keyPairError("mismatch");
}

function keyPairError(problem: keyof typeof PROBLEMS, cause?: unknown): TypeError {
  const message = `Cannot start a QUIC server: ${PROBLEMS[problem]}`;
  return cause === undefined ? new TypeError(message) : new TypeError(message, { cause });
}
