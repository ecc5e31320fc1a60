// @ts-check
// asyncstreams: the project's StreamReader, imported the way users import it (the built dist:
// run `pnpm build` first), with Node's native byte search as a Node user passes it (readers made
// by @asyncstreams/net use it by default).
import { nodeByteSearch } from "@asyncstreams/net";
import { StreamReader } from "@asyncstreams/reader";
import { timeReaderPass } from "../lib/memory-harness.js";

/** @import { NodeImpl, BenchReader } from "../lib/types.js" */

/** @type {NodeImpl} */
export const asyncstreams = {
  name: "asyncstreams",
  supports: (workload) => workload.kind === "memory",
  runPass: (workload, data, params) =>
    timeReaderPass(
      (options) => /** @type {BenchReader} */ (new StreamReader({ ...options, search: nodeByteSearch })),
      workload,
      data,
      params,
    ),
};
