// `probec check`: which symbol each probe point of a script resolves to in each of several binaries
// (several Envoy versions, toolchains…), and whether a build would succeed on each.
export { checkFile, type CheckFileOptions, type CheckFileResult } from "./check-file.js";
export { checkProgram, type CheckBinding, type CheckOptions } from "./resolve-matrix.js";
export { formatReportText, cellStatus } from "./format-text.js";
export { CheckCode } from "./check-diagnostics.js";
export type { CheckCell, CheckColumn, CheckPoint, CheckReport, CheckSymbol } from "./report.js";
