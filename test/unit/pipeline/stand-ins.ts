// Stand-ins for the build driver's unit tests: a front end that returns a given ProbeProgram, and a
// symbol source with a fixed symbol table. (The e2e tests use the real ones.)
import type { AbiBinary, AbiSymbol } from "../../../compiler/abi/index.js";
import { noSymbolMatch, type ProbeDiagnostic } from "../../../compiler/diagnostics/index.js";
import type { CompileOptions, CompileResult } from "../../../compiler/frontend/index.js";
import type { ProbeProgram, SourceLoc, UprobeTarget } from "../../../compiler/ir/program.js";
import type { PointResolution, SymbolSource } from "../../../compiler/pipeline/index.js";

export function frontendReturning(program: ProbeProgram | null, diagnostics: ProbeDiagnostic[] = []) {
  const calls: { path: string; options: CompileOptions }[] = [];
  const fn = (path: string, options: CompileOptions): CompileResult => {
    calls.push({ path, options });
    return { program: program === null ? null : structuredClone(program), diagnostics, sources: new Map() };
  };
  return Object.assign(fn, { calls });
}

/** Symbols by pattern text; a pattern not listed matches nothing. */
export class TableSymbolSource implements SymbolSource {
  opened: string[] = [];
  closed = false;
  constructor(
    private readonly table: Record<string, AbiSymbol[]>,
    private readonly identity: Partial<AbiBinary> = {},
  ) {}
  openBinary(name: string, path: string, _loc: SourceLoc): AbiBinary {
    this.opened.push(`${name}=${path}`);
    return { name, path, buildId: "abcdef", arch: "x86_64", stdlib: "libc++", abslStringView: "class", ...this.identity };
  }
  resolvePoint(binary: AbiBinary, target: UprobeTarget, loc: SourceLoc): PointResolution {
    for (const [i, p] of target.patterns.entries()) {
      const symbols = this.table[p];
      if (symbols && symbols.length > 0) return { symbols, alternativeTaken: i, diagnostics: [] };
    }
    if (target.optional) return { symbols: [], skipped: "nothing matched", diagnostics: [] };
    return { symbols: [], diagnostics: [noSymbolMatch(loc, target.patterns[0], binary.name, ["Envoy::Near::miss()"])] };
  }
  close(): void {
    this.closed = true;
  }
}
