// @ts-check
// M1's heap, object by object: what one idle server connection keeps alive, for asyncstreams and
// for node-raw, from two heap snapshots (before and after N idle connections, each after a full GC),
// aggregated by constructor (objects) or by kind (closures, contexts, arrays, code).
//
//   pnpm build && node --expose-gc bench/src/m1-heap.js --impl asyncstreams --count 2000
//   node --expose-gc bench/src/m1-heap.js --impl node-raw --count 2000
//   node --expose-gc bench/src/m1-heap.js --impl asyncstreams --by-retainer   # who holds each group
//
// Prints bytes per connection for every group that grew by at least 8 bytes per connection, then
// the total. The server shapes are M1's (bench/src/impl/*-net.js): asyncstreams awaits one
// readLine() in an async handler; node-raw keeps a 'data' line splitter per socket.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { writeHeapSnapshot } from "node:v8";
import { startServer } from "@asyncstreams/net";
import { LineSplitter, listenRaw } from "./impl/node-raw-net.js";
import { HOST, gc, idleClients, waitUntil } from "./lib/net-harness.js";

const { values } = parseArgs({
  options: {
    impl: { type: "string", default: "asyncstreams" },
    count: { type: "string", default: "2000" },
    "by-retainer": { type: "boolean", default: false },
  },
});
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) throw new TypeError("--count takes a positive integer");
if (values.impl !== "asyncstreams" && values.impl !== "node-raw")
  throw new TypeError("--impl takes asyncstreams or node-raw");
if (typeof (/** @type {{ gc?: unknown }} */ (globalThis).gc) !== "function")
  throw new Error("Run with node --expose-gc");

/**
 * Self sizes in one heap snapshot, summed by "type:name" (the constructor for objects). With
 * `known` (the ids of an earlier snapshot) and --by-retainer, only the nodes new since then count,
 * and each group also names what holds its nodes: "type:name <- holder.edge".
 *
 * @param {Set<number>} [known]
 * @returns {{ groups: Map<string, { bytes: number, count: number }>, ids: Set<number> }}
 */
function snapshotGroups(known) {
  gc();
  gc();
  const file = writeHeapSnapshot(join(tmpdir(), `m1-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  const snapshot = JSON.parse(readFileSync(file, "utf8"));
  rmSync(file);
  const {
    node_fields: fields,
    node_types: nodeTypes,
    edge_fields: edgeFields,
    edge_types: edgeTypes,
  } = snapshot.snapshot.meta;
  const width = fields.length;
  const at = (/** @type {string} */ field) => fields.indexOf(field);
  const [typeAt, nameAt, idAt, sizeAt, edgeCountAt] = ["type", "name", "id", "self_size", "edge_count"].map(at);
  const { nodes, edges, strings } = snapshot;
  /** @param {number} i */
  const label = (i) => {
    const type = nodeTypes[0][nodes[i + typeAt]];
    // Objects by constructor; everything else by kind (a closure's or a string's name is noise).
    return `${type}:${type === "object" ? strings[nodes[i + nameAt]] : ""}`;
  };
  /** @type {Map<number, string>} The first holder of each node: "holder.edge". */
  const holder = new Map();
  if (known !== undefined && values["by-retainer"]) {
    const edgeWidth = edgeFields.length;
    const [edgeTypeAt, edgeNameAt, toAt] = ["type", "name_or_index", "to_node"].map((f) => edgeFields.indexOf(f));
    let e = 0;
    for (let i = 0; i < nodes.length; i += width) {
      for (let n = nodes[i + edgeCountAt]; n > 0; n--, e += edgeWidth) {
        const to = edges[e + toAt];
        const edgeType = edgeTypes[0][edges[e + edgeTypeAt]];
        if (holder.has(to) || edgeType === "weak") continue;
        const name = edgeType === "element" || edgeType === "hidden" ? "[]" : strings[edges[e + edgeNameAt]];
        holder.set(to, `${label(i)}.${name}`);
      }
    }
  }
  /** @type {Map<string, { bytes: number, count: number }>} */
  const groups = new Map();
  /** @type {Set<number>} */
  const ids = new Set();
  for (let i = 0; i < nodes.length; i += width) {
    const id = nodes[i + idAt];
    ids.add(id);
    if (holder.size > 0 && known?.has(id)) continue;
    const key = holder.size > 0 ? `${label(i)} <- ${holder.get(i) ?? "?"}` : label(i);
    const group = groups.get(key) ?? { bytes: 0, count: 0 };
    group.bytes += nodes[i + sizeAt];
    group.count++;
    groups.set(key, group);
  }
  return { groups, ids };
}

let accepted = 0;
/** @type {() => Promise<void>} */
let closeServer;
/** @type {number} */
let port;
if (values.impl === "asyncstreams") {
  const server = await startServer(
    async (reader, writer) => {
      accepted++;
      await reader.readLine();
      writer.close();
    },
    { host: HOST, port: 0 },
  );
  const address = server.addresses()[0];
  if (address === undefined || typeof address === "string") throw new Error("The server has no TCP port");
  port = address.port;
  closeServer = async () => {
    server.close();
    await server.waitClosed();
  };
} else {
  const raw = await listenRaw((socket) => {
    accepted++;
    const splitter = new LineSplitter(65_536, () => {});
    socket.on("data", (chunk) => splitter.push(chunk));
    socket.once("end", () => socket.end());
    socket.on("error", () => {});
  });
  port = raw.port;
  closeServer = () => new Promise((resolve) => raw.server.close(() => resolve()));
}

const { groups: before, ids } = snapshotGroups();
gc();
const usageBefore = process.memoryUsage();
const clients = idleClients(port, count, () => accepted);
await clients.connected;
await waitUntil(() => accepted === count, `${count} server connections`);
gc();
const usageAfter = process.memoryUsage();
const { groups: after } = snapshotGroups(ids);
await clients.close();
await closeServer();

const rows = [];
let total = 0;
for (const [key, group] of after) {
  const was = (values["by-retainer"] ? undefined : before.get(key)) ?? { bytes: 0, count: 0 };
  const bytes = (group.bytes - was.bytes) / count;
  total += bytes;
  if (bytes >= 8) rows.push({ key, bytes, objects: (group.count - was.count) / count });
}
rows.sort((a, b) => b.bytes - a.bytes);
console.log(`${values.impl}: heap growth per idle connection (${count} connections)`);
for (const { key, bytes, objects } of rows)
  console.log(`${bytes.toFixed(0).padStart(6)} B  ${objects.toFixed(2).padStart(5)} objects  ${key}`);
console.log(`${total.toFixed(0).padStart(6)} B  in all`);
const usage = Object.entries(usageAfter).map(([name, value]) => {
  const was = usageBefore[/** @type {keyof NodeJS.MemoryUsage} */ (name)];
  return `${name} ${((value - was) / count).toFixed(0)} B`;
});
console.log(`process.memoryUsage() growth per connection: ${usage.join(", ")}`);
