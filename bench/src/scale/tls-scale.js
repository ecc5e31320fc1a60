#!/usr/bin/env node
// TLS at scale: opens N verified TLS connections (default 1,000) to an asyncstreams TLS server in a
// second process, in batches, and reports the handshake rate and the server's RSS per connection.
// Usage: node bench/src/scale/tls-scale.js [count] [batch]   (build first: pnpm build)
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { openConnection } from "@asyncstreams/tls";

const count = Number(process.argv[2] ?? 1000);
const batch = Number(process.argv[3] ?? 50);
const ca = readFileSync(new URL("../../../examples/demo/certs/ca.pem", import.meta.url));
const child = fork(new URL("tls-server.js", import.meta.url), { execArgv: ["--expose-gc"] });
/** @type {any[]} */
const messages = [];
/** @type {(value?: unknown) => void} */
let wake = () => undefined;
child.on("message", (message) => {
  messages.push(message);
  wake();
});
async function next() {
  while (messages.length === 0) await new Promise((resolve) => (wake = resolve));
  return messages.shift();
}
async function rss() {
  child.send("rss");
  return next();
}

const { port } = await next();
// Warm up: a few connections, closed, so code paths and TLS contexts are hot before the baseline.
for (let i = 0; i < 20; i++) {
  const { writer } = await openConnection({ host: "localhost", port, tls: { ca } });
  writer.close();
  await writer.waitClosed();
}
await new Promise((resolve) => setTimeout(resolve, 200));
const baseline = await rss();
const open = [];
const started = process.hrtime.bigint();
for (let i = 0; i < count; i += batch) {
  const size = Math.min(batch, count - i);
  open.push(
    ...(await Promise.all(
      Array.from({ length: size }, () => openConnection({ host: "localhost", port, tls: { ca } })),
    )),
  );
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await new Promise((resolve) => setTimeout(resolve, 500));
const loaded = await rss();
if (loaded.connections - baseline.connections < count)
  throw new Error(`Only ${loaded.connections - baseline.connections} of ${count} connections reached the handler`);
for (const { writer } of open) writer.close();
await Promise.all(open.map(({ writer }) => writer.waitClosed().catch(() => undefined)));
child.send("stop");
console.log(
  `${count} TLS connections (batches of ${batch}): ${(count / seconds).toFixed(0)} handshakes/s (client and server on 2 cores)`,
);
console.log(
  `server RSS: ${(baseline.rss / 2 ** 20).toFixed(1)} MiB idle, ${(loaded.rss / 2 ** 20).toFixed(1)} MiB with ${count} open: ${((loaded.rss - baseline.rss) / count / 1024).toFixed(1)} KiB per connection`,
);
