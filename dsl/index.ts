// probec's authoring API: what a `.probe.ts` imports as "probec". These functions describe probes;
// probec reads the source and compiles it to bpftrace. Importing the module at run time is harmless
// (everything is a no-op), so a probe file can also be imported for its types.
export type { i8, i16, i32, i64, u8, u16, u32, u64, ptr, SizedString, UStack, KStack, StackFrames, StackFrame, RegisterName } from "./types.js";
export * from "./builtins.js";
export * from "./probes.js";
export * from "./maps.js";
export * from "./params.js";
export * from "./events.js";
export * from "./kernel.js";
export type { Tracepoints } from "./tracepoints.js";
export { KNOWN_TRACEPOINTS } from "./tracepoints.js";
