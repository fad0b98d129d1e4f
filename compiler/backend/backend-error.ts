// Problems found while writing the script, in the shared diagnostic shape and the backend's block
// of codes (9500–9599); the build driver prints them tsc-style with the rest.
import { createDiagnostic, DiagnosticError, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc } from "../ir/program.js";

export const BackendCode = {
  /** An expression kind reached the backend that an earlier stage should have lowered (uArg, uThis, uRet). */
  NotLowered: 9510,
  /** A uprobe point resolved to no symbol and is not optional. */
  NoSymbols: 9511,
  /** An event's line is larger than the BPF stack even when split. */
  EventTooLarge: 9512,
  /** A binary path that cannot be written into a bpftrace attach point. */
  UnwritablePath: 9513,
  /** A name used by the program is not declared (map, param, binary, local, event). */
  Undeclared: 9514,
  /** The IR is inconsistent (field type and value disagree, wrong key shape). */
  InvalidIr: 9515,
  /** A map is read but never written anywhere: bpftrace cannot type it and rejects the script. */
  MapNeverWritten: 9516,
} as const;

export const BackendWarning = {
  /** Two probe blocks attach to the same address: both run, once each. */
  SharedAddress: 9550,
  /**
   * Local symbols of different files share one mangled name: bpftrace resolves names (and
   * addresses, through the name) to the first of them, so only that copy can be probed.
   */
  SharedName: 9551,
} as const;

export type BackendProblem = ProbeDiagnostic;

/** Abandons the current probe (or event) with an error; the program lowering collects it and goes on. */
export class BackendError extends DiagnosticError {
  constructor(code: number, message: string, loc?: SourceLoc) {
    super(createDiagnostic(code, message, loc));
  }
}

export function backendWarning(code: number, message: string, loc?: SourceLoc): ProbeDiagnostic {
  return createDiagnostic(code, message, loc, { category: "warning" });
}
