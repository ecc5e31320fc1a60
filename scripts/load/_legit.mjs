// @ts-check
// S5's legitimate clients in their own process (node scripts/load/_legit.mjs <port> <count> <pauseMs>),
// so the attackers' work in the load generator does not show up as their latency: runs slowloris.mjs's
// honest() until stdin ends, then prints one JSON line {samples: [{at, ms}], errors}, `at` in epoch ms.
import { honest } from "./slowloris.mjs";

const [port, count, pauseMs] = process.argv.slice(2).map(Number);
const run = await honest(Number(port), Number(count), Number(pauseMs));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.stdin.resume();
await new Promise((resolve) => process.stdin.once("end", resolve));
const errors = await run.stop();
const samples = run.samples.map((s) => ({ at: s.at + performance.timeOrigin, ms: s.ms }));
process.stdout.write(`${JSON.stringify({ samples, errors })}\n`);
