import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { hasErrors, type ProbeDiagnostic } from "../diagnostics/diagnostic.js";
import { fileNotFound, fileUnreadable, typeCheckFailed, unknownDefine } from "../diagnostics/messages.js";
import type { ProbeProgram } from "../ir/program.js";
import { Evaluator } from "./evaluator.js";
import { loadProbeProgram } from "./load.js";
import { ProgramBuilder } from "./program-builder.js";
import { makeSpanOf } from "./source-loc.js";

export interface CompileOptions {
  /**
   * Build-time options declared in the probe with `option.bool/int/str("NAME", default)`,
   * set from the command line (`--define NAME=VALUE`). Unknown names are an error.
   */
  defines?: Record<string, string>;
  /**
   * Directory the file paths in diagnostics and in the IR are made relative to. Default: paths
   * stay as absolute paths.
   */
  cwd?: string;
}

export interface CompileResult {
  /** The lowered program, or null when any error was reported. */
  program: ProbeProgram | null;
  /** tsc's diagnostics (source "ts") and probec's (source "probec"), in the order found. */
  diagnostics: ProbeDiagnostic[];
  /** Source texts the diagnostics point into, keyed by the printed path, for the formatter's code frames. */
  sources: Map<string, string>;
}

export function compileProbeFile(path: string, options: CompileOptions = {}): CompileResult {
  const abs = resolve(path);
  const sources = new Map<string, string>();
  if (!existsSync(abs)) return { program: null, diagnostics: [fileNotFound(path)], sources };
  const displayPath = (fileName: string) => (options.cwd ? relative(options.cwd, fileName) || fileName : fileName);
  const spanOf = makeSpanOf(displayPath);

  let loaded: ReturnType<typeof loadProbeProgram>;
  try {
    loaded = loadProbeProgram(abs, spanOf);
  } catch (err) {
    // A directory, a file we may not read: say which and why, without a stack trace.
    const reason = err instanceof Error ? err.message.split("\n")[0]! : String(err);
    return { program: null, diagnostics: [fileUnreadable(path, reason)], sources };
  }
  for (const sf of loaded.program.getSourceFiles()) {
    if (!sf.fileName.startsWith(loaded.dslDir + "/") && !sf.isDeclarationFile) sources.set(displayPath(sf.fileName), sf.text);
  }
  if (hasErrors(loaded.diagnostics)) {
    // probec's own findings at this stage (an async handler) need no "type errors" summary.
    const tsErrors = loaded.diagnostics.some((d) => d.source === "ts" && d.category === "error");
    return { program: null, diagnostics: tsErrors ? [...loaded.diagnostics, typeCheckFailed()] : loaded.diagnostics, sources };
  }
  const defines = options.defines ?? {};
  const builder = new ProgramBuilder(displayPath(abs));
  const ev = new Evaluator(loaded.checker, builder, spanOf, loaded.dslDir, { defines });
  ev.evaluateModule(loaded.entry);
  for (const name of Object.keys(defines)) {
    if (!ev.usedDefines.has(name)) ev.diagnostics.push(unknownDefine(undefined, name, [...ev.usedDefines]));
  }
  const diagnostics = [...loaded.diagnostics, ...ev.diagnostics];
  return { program: hasErrors(diagnostics) ? null : builder.build(), diagnostics, sources };
}
