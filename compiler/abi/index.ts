// The ABI stage: where each C++ argument and return value lives, and how to read it.
// Entry point for the pipeline: `lowerProbe(probe, symbols, binary, options)`.
export { lowerProbe, type LowerResult } from "./lower.js";
export type { AbiSymbol, AbiBinary, AbiOptions } from "./symbol-frame.js";
export { AbiCode, type AbiDiagnostic } from "./diagnostics.js";
export { collectClassNames, decideMember, type MemberDecision } from "./member.js";
export { classifyParam, stringKindOf, type ParamClass, type DeclaredClass, type StringViewLayout, type StdStringLayout } from "./classify.js";
export { parseCType, type CType } from "./ctype.js";
export { stringViewAt, stdStringAt, MAX_STRING_LIMIT } from "./readers.js";
export { detectAbslStringView } from "./absl-string-view.js";
