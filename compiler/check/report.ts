// What `probec check` finds: for each uprobe point of a probe file and each binary given, what the
// point resolves to there. Plain JSON, so `--json` prints it as it is.
import type { ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc } from "../ir/program.js";

/** One `--binary NAME=PATH`: a column of the matrix. */
export interface CheckColumn {
  /** 1-based, as printed (`[1]`). */
  index: number;
  /** The binary name of the probe file it binds (`envoy`). */
  name: string;
  /** The path as given, and made absolute. */
  path: string;
  buildId: string | null;
  arch: string | null;
  stdlib: string | null;
  /** Set when the file could not be read as an ELF binary: every cell of the column is `error`. */
  error?: string;
}

export interface CheckSymbol {
  mangled: string;
  demangled: string;
  address: number;
}

export type CheckCell =
  /** The point attaches here; `alternatives` are the indexes (into `patterns`) that matched. */
  | {
      status: "resolved";
      alternatives: number[];
      symbols: CheckSymbol[];
      /** Set when an argument read does not fit the resolved function (the build would refuse it). */
      readErrors?: string[];
    }
  /**
   * Nothing matches. `required`: the build fails on this binary because of it (a required point, or
   * the last hope of a required `.orElse` group). `candidates`: the resolver's nearest names.
   */
  | { status: "missing"; required: boolean; candidates: string[] }
  /** A later `.orElse` alternative: an earlier member of its group resolved, so this one is not used. */
  | { status: "not-taken"; takenBy: string }
  /** The column binds another binary name than the one this point probes. */
  | { status: "unbound" }
  /** The pattern is malformed, matches too many functions, or the binary is unreadable. */
  | { status: "error"; message: string };

export interface CheckPoint {
  /** The probe's id in the IR (`p3`). */
  id: string;
  loc: SourceLoc;
  kind: "uprobe" | "uretprobe";
  binary: string;
  patterns: string[];
  select: "first" | "all";
  optional: boolean;
  /** For `.orElse` alternatives: the group (the id of its first probe) and the position in it. */
  group?: { id: string; index: number };
  /** One cell per column, in column order. */
  cells: CheckCell[];
}

export interface CheckReport {
  /** The probe file, as given. */
  script: string;
  columns: CheckColumn[];
  points: CheckPoint[];
  /** Errors (a required point missing somewhere, an unreadable binary…) and warnings. */
  diagnostics: ProbeDiagnostic[];
  /** False when any diagnostic is an error: `probec check` exits 1. */
  ok: boolean;
}
