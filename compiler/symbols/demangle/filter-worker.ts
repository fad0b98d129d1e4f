// Worker side of the parallel stdin filter (see compiler/cli/commands/demangle.ts): filters the
// part of the input it is given and posts back the output bytes.
import { parentPort, workerData } from "node:worker_threads";
import { filterBytes } from "./filter.js";
import { demangleWith } from "./index.js";

const input = Buffer.from(workerData as Uint8Array);
parentPort!.postMessage(Buffer.concat(filterBytes(input, demangleWith)));
