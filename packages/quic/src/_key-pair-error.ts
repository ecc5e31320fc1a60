const PROBLEMS = {
  cert: "tls.cert is not a PEM certificate",
  key: "tls.key is not an unencrypted PEM private key",
  mismatch: "tls.key is not the private key of tls.cert's first certificate (the leaf must come first)",
} as const;

/**
 * The error `startQuicServer()` throws for a key and certificate that cannot serve, the same on
 * every stack, before any socket stays bound: a wrong file would otherwise show up as clients
 * timing out (Node), or as the runtime's own error class (Deno).
 *
 * @param problem What is wrong: no certificate in `cert`, no usable key in `key`, or a key that is not the leaf's.
 * @param cause The stack's own error, if any, kept as `cause`.
 */
export function keyPairError(problem: keyof typeof PROBLEMS, cause?: unknown): TypeError {
  const message = `Cannot start a QUIC server: ${PROBLEMS[problem]}`;
  return cause === undefined ? new TypeError(message) : new TypeError(message, { cause });
}
