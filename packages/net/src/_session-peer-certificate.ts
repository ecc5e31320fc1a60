import { X509Certificate } from "node:crypto";

/** A DER element: its tag and where its content lies. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

/** Reads the DER element at `at`, or `undefined` when it does not fit in `bytes`. */
function readElement(bytes: Uint8Array, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let header = 2;
  if (length & 0x80) {
    const size = length & 0x7f;
    if (size === 0 || size > 4 || at + 2 + size > limit) return undefined;
    length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + bytes[at + 2 + i]!;
    header += size;
  }
  const end = at + header + length;
  return end <= limit ? { tag, start: at + header, end } : undefined;
}

/**
 * The server certificate recorded in a TLS client session (`tls.session`, OpenSSL's DER
 * `SSL_SESSION`, whose `[3] peer` field holds it).
 *
 * Why: Node checks the server's name only on a full handshake, and a resumed TLS 1.3 session
 * exposes no peer certificate afterwards, so the name a session is good for must be read from the
 * session itself before it is offered (the CVE-2020-8172 class: a session saved for one host
 * accepted for another).
 *
 * @param session The session bytes, as `TLSSocket.getSession()` or the `'session'` event gives them.
 * @returns The certificate, or `undefined` when the session holds none or cannot be parsed.
 */
export function sessionPeerCertificate(session: Uint8Array): X509Certificate | undefined {
  const outer = readElement(session, 0, session.length);
  if (outer === undefined || outer.tag !== 0x30) return undefined;
  for (let at = outer.start; at < outer.end; ) {
    const field = readElement(session, at, outer.end);
    if (field === undefined) return undefined;
    if (field.tag === 0xa3) {
      try {
        return new X509Certificate(session.subarray(field.start, field.end));
      } catch {
        return undefined;
      }
    }
    at = field.end;
  }
  return undefined;
}
