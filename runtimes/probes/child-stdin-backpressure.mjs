// @ts-check
// Probe: does a child process's stdin report back-pressure? The child (`sleep 5`) never reads, so
// the pipe fills (64 KiB on Linux) and the stream must then buffer: write() returns false once
// writableLength passes the high-water mark. Writes 64 KiB chunks up to 8 MiB. Prints one JSON line.
import { spawn } from "node:child_process";

const CHUNK = 64 * 1024;
const CAP = 8 * 1024 * 1024;
const child = spawn("sleep", ["5"], { stdio: ["pipe", "ignore", "ignore"] });
child.stdin.on("error", () => undefined); // EPIPE once the child is killed
let written = 0;
let refusedAt = -1;
while (written < CAP) {
  const accepted = child.stdin.write(new Uint8Array(CHUNK));
  written += CHUNK;
  if (!accepted) {
    refusedAt = written;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the runtime flush to the pipe
}
const writableLength = child.stdin.writableLength;
child.kill("SIGKILL");
console.log(
  JSON.stringify({
    probe: "child-stdin-backpressure",
    written,
    writeReturnedFalseAt: refusedAt,
    writableLength,
    writableHighWaterMark: child.stdin.writableHighWaterMark,
  }),
);
process.exit(0);
