// Every function symbol of a binary, demangled, for `probec symbols BINARY` without patterns.
import type { SymbolBinary } from "./binary.js";
import { viewOfSymbol } from "./symbol-view.js";

export interface ListedFunction {
  mangled: string;
  /** The demangled name, or the mangled one when it does not demangle. */
  demangled: string;
  address: number;
  size: number;
  fileOffset: number | null;
  params: string[] | null;
  /** Other names of the same address (mangled), sorted. */
  aliases: string[];
}

/**
 * One entry per address: the names that share it (C1/C2 constructors, D1/D2 destructors, aliases
 * and identical-code folding) are one function, shown by its preferred name (global over weak over
 * local, then the shortest mangled name) with the others as `aliases`.
 */
export function listFunctions(binary: SymbolBinary): ListedFunction[] {
  const s = binary.symbols();
  const byAddress = new Map<number, { row: ListedFunction; rank: number }>();
  for (let i = 0; i < s.count; i++) {
    const mangled = s.name(i);
    const address = s.address[i]!;
    const b = s.binding(i);
    const rank = b === "global" ? 0 : b === "weak" ? 1 : 2;
    const seen = byAddress.get(address);
    if (seen !== undefined) {
      if (seen.row.mangled === mangled || seen.row.aliases.includes(mangled)) continue;
      if (!better(rank, mangled, seen.rank, seen.row.mangled)) {
        seen.row.aliases = [...seen.row.aliases, mangled].sort();
        continue;
      }
    }
    const view = viewOfSymbol(mangled);
    const row: ListedFunction = {
      mangled,
      demangled: view?.demangled ?? mangled,
      address,
      size: s.size[i]!,
      fileOffset: binary.elf.loadMap.fileOffset(address),
      params: view?.params ?? null,
      aliases: seen ? [...seen.row.aliases, seen.row.mangled].sort() : [],
    };
    byAddress.set(address, { row, rank });
  }
  return [...byAddress.values()].map((e) => e.row).sort((a, b) => a.address - b.address);
}

function better(rank: number, mangled: string, seenRank: number, seenMangled: string): boolean {
  if (rank !== seenRank) return rank < seenRank;
  if (mangled.length !== seenMangled.length) return mangled.length < seenMangled.length;
  return mangled < seenMangled;
}
