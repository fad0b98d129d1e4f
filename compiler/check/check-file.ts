// `probec check` as a function: the frontend once, then the resolver against each binary.
import { hasErrors, type ProbeDiagnostic } from "../diagnostics/index.js";
import { checkProgram, type CheckBinding, type CheckOptions } from "./resolve-matrix.js";
import type { CheckReport } from "./report.js";

export interface CheckFileOptions extends CheckOptions {
  /** `--define NAME=VALUE`: build-time options of the probe file. */
  defines?: Record<string, string>;
}

export interface CheckFileResult {
  /** Null when the probe file itself does not compile (see `diagnostics`). */
  report: CheckReport | null;
  diagnostics: ProbeDiagnostic[];
  /** Source texts for the diagnostics' code frames. */
  sources: ReadonlyMap<string, string>;
}

export async function checkFile(input: string, bindings: readonly CheckBinding[], options: CheckFileOptions = {}): Promise<CheckFileResult> {
  // Loaded on demand, as `probec build` does: the front end brings in TypeScript.
  const { compileProbeFile } = await import("../frontend/index.js");
  const front = compileProbeFile(input, { defines: options.defines ?? {}, ...(options.cwd ? { cwd: options.cwd } : {}) });
  if (front.program === null || hasErrors(front.diagnostics)) return { report: null, diagnostics: front.diagnostics, sources: front.sources };
  const matrix = checkProgram(front.program, bindings, options);
  const report: CheckReport = { script: input, ...matrix, diagnostics: [...front.diagnostics, ...matrix.diagnostics] };
  return { report, diagnostics: report.diagnostics, sources: front.sources };
}
