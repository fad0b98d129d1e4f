// The front end's one entry point: a .probe.ts file in, a ProbeProgram (the IR) and diagnostics out.
//
//   const { program, diagnostics } = compileProbeFile("x.probe.ts", { defines: { kprobes: "true" } });
//   if (program === null) → print diagnostics (formatDiagnostics from compiler/diagnostics), exit 1.
//
// `program` is null exactly when an error was reported; warnings may accompany a program.
// The loader type-checks the file (and the modules it imports) against the DSL with TypeScript, then
// the evaluator runs the top level at build time and the lowerer turns handler bodies into IR.
export { compileProbeFile, type CompileOptions, type CompileResult } from "./compile.js";
