// Runs one compiled pattern over a binary's function symbols: prefilter, demangle the candidates,
// match structurally, and fold symbols at the same address (C1/C2 constructors, aliases) into one.
import type { SymbolView } from "../demangle/view.js";
import type { SymbolBinding } from "../elf/index.js";
import type { SymbolPattern } from "../pattern/index.js";
import type { SymbolBinary } from "./binary.js";
import { prefilterSymbols } from "./prefilter.js";
import { viewOfSymbol } from "./symbol-view.js";

export interface SymbolMatch {
  mangled: string;
  demangled: string;
  /** Virtual address of the function entry. */
  address: number;
  size: number;
  /** File offset of the entry (what a uprobe attaches to), or null if no PT_LOAD maps it. */
  fileOffset: number | null;
  /** Printed C++ parameter types, or null for a plain C symbol. */
  params: string[] | null;
  binding: SymbolBinding;
  view: SymbolView;
  /** Other names of this same entry address that matched too (e.g. the C2 of a C1 constructor). */
  aliases: string[];
}

/** Demangles names once per binary: several patterns often share candidates. */
export class ViewCache {
  private readonly views = new Map<number, SymbolView | null>();
  constructor(private readonly binary: SymbolBinary) {}
  get(index: number): SymbolView | null {
    let v = this.views.get(index);
    if (v === undefined) {
      v = viewOfSymbol(this.binary.symbols().name(index));
      this.views.set(index, v);
    }
    return v;
  }
}

/**
 * Every function entry `pattern` matches, sorted by address. `candidates` are the prefiltered
 * symbol indices when the caller computed them for several patterns at once.
 */
export function matchSymbols(binary: SymbolBinary, pattern: SymbolPattern, views: ViewCache, candidates?: number[]): SymbolMatch[] {
  const symbols = binary.symbols();
  const byAddress = new Map<number, SymbolMatch>();
  for (const i of candidates ?? prefilterSymbols(symbols, pattern.needles.required)) {
    if (!pattern.mayMatchMangled(symbols.strtab, symbols.nameOffset[i]!)) continue;
    const view = views.get(i);
    if (view === null) continue;
    const mangled = symbols.name(i);
    if (!pattern.matches(view, mangled)) continue;
    const address = symbols.addressOf(i);
    const m: SymbolMatch = {
      mangled,
      demangled: view.demangled,
      address,
      size: symbols.sizeOf(i),
      fileOffset: binary.elf.loadMap.fileOffset(address),
      params: view.params,
      binding: symbols.binding(i),
      view,
      aliases: [],
    };
    const seen = byAddress.get(address);
    if (seen === undefined) byAddress.set(address, m);
    else if (preferred(m, seen)) {
      m.aliases = [...seen.aliases, seen.mangled].sort();
      byAddress.set(address, m);
    } else if (seen.mangled !== m.mangled) {
      seen.aliases = [...seen.aliases, m.mangled].sort();
    }
  }
  return [...byAddress.values()].sort((a, b) => a.address - b.address || (a.mangled < b.mangled ? -1 : 1));
}

/** Which of two names for one address to show: global over weak over local, then C1 before C2. */
function preferred(a: SymbolMatch, b: SymbolMatch): boolean {
  const rank = (m: SymbolMatch) => (m.binding === "global" ? 0 : m.binding === "weak" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) < rank(b);
  if (a.mangled.length !== b.mangled.length) return a.mangled.length < b.mangled.length;
  return a.mangled < b.mangled;
}
