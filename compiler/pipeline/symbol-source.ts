// What the build driver needs from symbol resolution, as an interface: the real implementation
// (real-symbol-source.ts) reads ELF files with compiler/symbols; unit tests pass a stand-in.
import type { AbiBinary, AbiSymbol } from "../abi/index.js";
import type { ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc, UprobeTarget } from "../ir/program.js";

export interface PointResolution {
  /** The symbols the point attaches to (aliases at one address included; the backend merges them). */
  symbols: AbiSymbol[];
  /** Which alternative resolved (index into `target.patterns`). */
  alternativeTaken?: number;
  /** Set when an optional point resolved to nothing: why. */
  skipped?: string;
  /** Errors (no match, with the nearest candidates; too many) and warnings, at `loc`. */
  diagnostics: ProbeDiagnostic[];
}

export interface SymbolSource {
  /** Opens a bound binary: its identity (build-id, arch, stdlib) and what the ABI needs to know about it. */
  openBinary(name: string, path: string, loc: SourceLoc): AbiBinary | ProbeDiagnostic;
  /** Resolves one uprobe point's patterns (alternatives, optional) in an opened binary. */
  resolvePoint(binary: AbiBinary, target: UprobeTarget, loc: SourceLoc): PointResolution;
  /** Releases open files. */
  close(): void;
}
