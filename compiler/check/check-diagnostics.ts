// Diagnostics of `probec check`, in the commands block (9670–9679). Each names the point (its
// source location and patterns), the binary (name, path, build-id) and what would have matched.
import { createDiagnostic, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc } from "../ir/program.js";
import type { CheckColumn } from "./report.js";

export const CheckCode = {
  RequiredPointMissing: 9670,
  BinaryUnreadable: 9671,
  UnknownBinaryName: 9672,
  BinaryNotGiven: 9673,
  PointError: 9674,
  OptionalPointMissing: 9675,
} as const;

const q = (s: string) => `'${s}'`;

export function describeColumn(c: CheckColumn): string {
  return `[${c.index}] ${c.name}=${c.path}${c.buildId ? ` (build-id ${c.buildId})` : ""}`;
}

const patternsText = (patterns: readonly string[]) => patterns.map(q).join(" or ");

function candidateNotes(candidates: readonly string[]): string[] | undefined {
  return candidates.length === 0 ? undefined : ["nearest candidates:", ...candidates.map((c) => `  ${c}`)];
}

export function requiredPointMissing(loc: SourceLoc, patterns: readonly string[], column: CheckColumn, candidates: readonly string[]): ProbeDiagnostic {
  const notes = candidateNotes(candidates);
  return createDiagnostic(
    CheckCode.RequiredPointMissing,
    `Required probe point ${patternsText(patterns)} resolves to nothing in binary ${describeColumn(column)}.`,
    loc,
    notes ? { notes } : {},
  );
}

export function optionalPointMissing(loc: SourceLoc, patterns: readonly string[], column: CheckColumn): ProbeDiagnostic {
  return createDiagnostic(
    CheckCode.OptionalPointMissing,
    `Optional probe point ${patternsText(patterns)} resolves to nothing in binary ${describeColumn(column)}; it would be skipped.`,
    loc,
    { category: "warning" },
  );
}

export function pointError(loc: SourceLoc, column: CheckColumn, message: string): ProbeDiagnostic {
  return createDiagnostic(CheckCode.PointError, `In binary ${describeColumn(column)}: ${message}.`, loc);
}

export function binaryUnreadable(column: CheckColumn, reason: string): ProbeDiagnostic {
  return createDiagnostic(CheckCode.BinaryUnreadable, `Cannot read binary [${column.index}] ${column.name}=${column.path}: ${reason}.`);
}

export function unknownBinaryName(name: string, declared: readonly string[]): ProbeDiagnostic {
  const known = declared.length === 0 ? "it declares none" : `it declares ${declared.map(q).join(", ")}`;
  return createDiagnostic(CheckCode.UnknownBinaryName, `--binary ${name}=…: the probe file declares no binary ${q(name)}; ${known}.`);
}

export function binaryNotGiven(name: string, loc: SourceLoc): ProbeDiagnostic {
  return createDiagnostic(CheckCode.BinaryNotGiven, `The probe file probes binary ${q(name)} but no --binary ${name}=PATH is given.`, loc);
}
