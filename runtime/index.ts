// The probec runtime API: `import { run } from "probec/runtime"`.
//
//   const handle = run<MyEvents>({ script: "seed.bt", target: { pid: 1234 } });
//   for await (const e of handle) if (e.event === "accepted") console.log(e.fields.fd);
//   const { maps, lost } = await handle.summary;
export { run, type RunHandle, type RunOptions } from "./run.js";
export { RunError, RUN_ERRORS, type RunErrorCode } from "./run-error.js";
export type { RunTarget } from "./process/bpftrace-argv.js";
export type { LiveCounts } from "./session.js";
export { LineDecoder, type LineDecoderOptions } from "./decode/line-decoder.js";
export { parseStack, frameLabel, type Demangler } from "./decode/stack.js";
export type {
  DecodedMap,
  EventShapes,
  EventUnion,
  FieldValue,
  HistBucket,
  MalformedLine,
  MapEntry,
  MapValue,
  ProbeEvent,
  RuntimeItem,
  RunSummary,
  SizedStringValue,
  StackFrame,
  StatsValue,
} from "./types.js";
