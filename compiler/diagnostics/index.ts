// Diagnostics shared by every stage: the shape, the factories (one per error, stable codes) and the
// tsc-style formatter.
export * from "./diagnostic.js";
export * from "./messages.js";
export * from "./codes.js";
export { formatDiagnostic, formatDiagnostics, type FormatOptions } from "./format.js";
