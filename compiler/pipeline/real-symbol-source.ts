// SymbolSource over real binaries: compiler/symbols/resolve for patterns, plus the facts the ABI
// stage needs about a binary (which absl::string_view it has, which names are classes).
import { collectClassNames, detectAbslStringView, type AbiBinary, type AbiSymbol } from "../abi/index.js";
import { createDiagnostic, noAlternativeResolved, noSymbolMatch, tooManyProbes, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc, UprobeTarget } from "../ir/program.js";
import { ElfError, openBinary, PatternError, resolvePatterns, type PatternResolution, type SymbolBinary, type SymbolMatch } from "../symbols/resolve/index.js";
import { binaryUnreadable } from "./build-diagnostics.js";
import type { PointResolution, SymbolSource } from "./symbol-source.js";

/** Names of symbols in the string table that contain `needle`, for cheap whole-binary facts. */
function namesContaining(strtab: Buffer, needle: string): string[] {
  const names: string[] = [];
  for (let at = strtab.indexOf(needle); at >= 0; ) {
    const start = strtab.lastIndexOf(0, at) + 1;
    const end = strtab.indexOf(0, at);
    names.push(strtab.toString("latin1", start, end < 0 ? strtab.length : end));
    at = end < 0 ? -1 : strtab.indexOf(needle, end);
  }
  return names;
}

function toAbiSymbol(m: SymbolMatch): AbiSymbol {
  return { mangled: m.mangled, demangled: m.demangled, address: m.address, size: m.size, params: m.params, view: m.view };
}

export interface RealSymbolSourceOptions {
  /** Extra inline namespaces for patterns (e.g. `absl::debian3`). */
  inlineNamespaces?: readonly string[];
  /** The resolver's on-disk cache: false to disable, a folder, or the default. */
  cache?: boolean | string;
  /** Most probes one pattern may produce (bpftrace's limit). */
  limit?: number;
}

export class RealSymbolSource implements SymbolSource {
  private readonly open = new Map<string, SymbolBinary>();

  constructor(private readonly options: RealSymbolSourceOptions = {}) {}

  openBinary(name: string, path: string, loc: SourceLoc): AbiBinary | ProbeDiagnostic {
    try {
      const binary = openBinary(path);
      this.open.set(name, binary);
      const facts = binary.facts();
      if (facts.arch !== "x86-64" && facts.arch !== "aarch64") {
        binary.close();
        this.open.delete(name);
        return binaryUnreadable(name, path, `its architecture (${facts.arch}) is neither x86-64 nor AArch64`, loc);
      }
      const strtab = binary.symbols().strtab;
      return {
        name,
        path: facts.path,
        buildId: facts.buildId,
        arch: facts.arch === "x86-64" ? "x86_64" : "aarch64",
        stdlib: facts.stdlib.stdlib,
        abslStringView: detectAbslStringView(namesContaining(strtab, "11string_viewE")),
        // Lets the ABI prove a scope is a class (it has a vtable, typeinfo or constructor symbol).
        symbolTableContains: (needle: string) => strtab.includes(needle),
      };
    } catch (err) {
      if (err instanceof ElfError) return binaryUnreadable(name, path, err.message, loc);
      const e = err as NodeJS.ErrnoException;
      if (e.code === "ENOENT") return binaryUnreadable(name, path, "no such file", loc);
      if (e.code === "EACCES") return binaryUnreadable(name, path, "permission denied", loc);
      if (e.code === "EISDIR") return binaryUnreadable(name, path, "it is a directory", loc);
      throw err;
    }
  }

  resolvePoint(binary: AbiBinary, target: UprobeTarget, loc: SourceLoc): PointResolution {
    const sym = this.open.get(binary.name);
    if (!sym) throw new Error(`resolvePoint: binary '${binary.name}' was not opened`);
    let results: PatternResolution[];
    try {
      results = resolvePatterns(sym, target.patterns, {
        ...(this.options.inlineNamespaces ? { inlineNamespaces: this.options.inlineNamespaces } : {}),
        ...(this.options.cache !== undefined ? { cache: this.options.cache } : {}),
        ...(this.options.limit !== undefined ? { limit: this.options.limit } : {}),
      }).patterns;
    } catch (err) {
      if (err instanceof PatternError) {
        const at = { ...loc };
        return { symbols: [], diagnostics: [createDiagnostic(9306, `Bad symbol pattern '${err.pattern}': ${err.reason} (column ${err.column} of the pattern).`, at)] };
      }
      if (err instanceof ElfError) return { symbols: [], diagnostics: [binaryUnreadable(binary.name, binary.path, err.message, loc)] };
      throw err;
    }
    const diagnostics: ProbeDiagnostic[] = [];
    // Too many matches is an error whatever else resolves: it would be refused by bpftrace.
    for (const r of results) {
      if (r.error?.code === "SYM_TOO_MANY") {
        const d = tooManyProbes(loc, r.error.count, this.options.limit ?? 512);
        d.notes = [`pattern '${r.pattern}' alone matches ${r.error.count} functions in ${binary.name}`];
        diagnostics.push(d);
      }
    }
    if (diagnostics.length > 0) return { symbols: [], diagnostics };

    const resolvedIdx = results.map((r, i) => (r.error === null && r.matches.length > 0 ? i : -1)).filter((i) => i >= 0);
    if (resolvedIdx.length === 0) {
      if (target.optional) return { symbols: [], skipped: `no function of ${binary.name} matches ${target.patterns.map((p) => `'${p}'`).join(" or ")}`, diagnostics };
      if (results.length === 1) {
        const r = results[0];
        diagnostics.push(noSymbolMatch(loc, r.pattern, binary.name, r.error?.candidates ?? []));
      } else {
        const d = noAlternativeResolved(loc, target.patterns, binary.name);
        const near = results.flatMap((r) => r.error?.candidates ?? []);
        if (near.length > 0) d.notes = ["nearest candidates:", ...[...new Set(near)].slice(0, 8).map((c) => `  ${c}`)];
        diagnostics.push(d);
      }
      return { symbols: [], diagnostics };
    }
    const taken = target.select === "first" ? [resolvedIdx[0]] : resolvedIdx;
    const matches = taken.flatMap((i) => results[i].matches);
    const classes = collectClassNames(matches.map((m) => m.view));
    const abiSymbols = matches.map(toAbiSymbol);
    // The ABI decides member functions from the classes the binary proves; feed what we demangled.
    if (classes.size > 0) binary.knownClasses = new Set([...(binary.knownClasses ?? []), ...classes]);
    return { symbols: abiSymbols, alternativeTaken: taken[0], diagnostics };
  }

  close(): void {
    for (const b of this.open.values()) b.close();
    this.open.clear();
  }
}
