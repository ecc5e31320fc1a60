// @ts-check
// asyncstreams: the project's StreamReader, imported the way users import it (the built dist:
// run `pnpm build` first).
import { StreamReader } from "@asyncstreams/reader";
import { timeReaderPass } from "../lib/memory-harness.js";

/** @import { NodeImpl, BenchReader } from "../lib/types.js" */

/** @type {NodeImpl} */
export const asyncstreams = {
  name: "asyncstreams",
  supports: (workload) => workload.kind === "memory",
  runPass: (workload, data, params) =>
    timeReaderPass((options) => /** @type {BenchReader} */ (new StreamReader(options)), workload, data, params),
};
