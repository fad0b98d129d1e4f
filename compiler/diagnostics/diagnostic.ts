// The one diagnostic shape every stage reports (frontend, resolver, ABI, backend). It mirrors
// ts.Diagnostic closely enough to print like tsc, but it is plain JSON and carries a SourceLoc, so a
// stage that never saw a ts.SourceFile (the ABI stage, the backend) can still point at the probe's
// line and column.
import type { SourceLoc } from "../ir/program.js";

export type DiagnosticCategory = "error" | "warning";

/** Where a code comes from: `ts` are TypeScript's own (printed `TS2322`), `probec` ours (`PC9101`). */
export type DiagnosticSource = "ts" | "probec";

export interface ProbeDiagnostic {
  category: DiagnosticCategory;
  /** Stable numeric code; for probec in the 9000–9999 range (see codes.ts for the blocks). */
  code: number;
  source: DiagnosticSource;
  message: string;
  /** Absent for diagnostics that have no place in a probe file (a bad `--binary` path). */
  loc?: SourceLoc;
  /** Length of the underlined span in characters, from `loc`; 0 or absent underlines one character. */
  length?: number;
  /** Extra lines printed under the code frame (candidates, hints). */
  notes?: string[];
}

/** The printed code, `PC9101` or `TS2322`. */
export function codeText(d: Pick<ProbeDiagnostic, "code" | "source">): string {
  return `${d.source === "ts" ? "TS" : "PC"}${d.code}`;
}

/** True when any diagnostic is an error (warnings do not stop a build). */
export function hasErrors(diagnostics: readonly ProbeDiagnostic[]): boolean {
  return diagnostics.some((d) => d.category === "error");
}

/**
 * Raised inside a stage to abandon the current unit of work with a diagnostic; the stage catches it
 * at its boundary and adds the diagnostic to its list. Never escapes a stage's public entry point.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: ProbeDiagnostic) {
    super(diagnostic.message);
  }
}
