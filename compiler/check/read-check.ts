// Whether a resolved point's argument reads fit the function it resolved to in one binary — what
// `probec build` would refuse (a string_view read of an `int`): the ABI stage, run per binary.
import { lowerProbe, type AbiBinary } from "../abi/index.js";
import type { ProbeDiagnostic } from "../diagnostics/index.js";
import type { Probe, SourceLoc } from "../ir/program.js";
import { RealSymbolSource } from "../pipeline/real-symbol-source.js";
import type { CheckColumn } from "./report.js";
import { describeColumn } from "./check-diagnostics.js";

export interface ReadCheckOptions {
  inlineNamespaces?: readonly string[];
  cache?: boolean;
  limit?: number;
}

export class ReadChecker {
  private constructor(
    private readonly source: RealSymbolSource,
    private readonly binary: AbiBinary,
    private readonly column: CheckColumn,
  ) {}

  /** Null when the binary cannot be opened for the ABI stage (the resolver reports why). */
  static open(column: CheckColumn, loc: SourceLoc, options: ReadCheckOptions): ReadChecker | null {
    const source = new RealSymbolSource({
      ...(options.inlineNamespaces ? { inlineNamespaces: options.inlineNamespaces } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
    const got = source.openBinary(column.name, column.path, loc);
    if ("code" in got) {
      source.close();
      return null;
    }
    return new ReadChecker(source, { ...got, name: column.name }, column);
  }

  /** The ABI stage's errors for a probe whose point resolves in this binary, each naming the binary. */
  errors(probe: Probe): ProbeDiagnostic[] {
    const a = probe.attach;
    if (a.kind !== "uprobe" && a.kind !== "uretprobe") return [];
    const found = this.source.resolvePoint(this.binary, a, probe.loc);
    if (found.symbols.length === 0) return [];
    const lowered = lowerProbe(probe, found.symbols, this.binary);
    return lowered.diagnostics
      .filter((d) => d.category === "error")
      .map((d) => ({ ...d, notes: [...(d.notes ?? []), `in binary ${describeColumn(this.column)}`] }));
  }

  close(): void {
    this.source.close();
  }
}
