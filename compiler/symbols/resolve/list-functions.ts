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
}

export function listFunctions(binary: SymbolBinary): ListedFunction[] {
  const s = binary.symbols();
  const out: ListedFunction[] = [];
  for (let i = 0; i < s.count; i++) {
    const mangled = s.name(i);
    const view = viewOfSymbol(mangled);
    const address = s.address[i]!;
    out.push({
      mangled,
      demangled: view?.demangled ?? mangled,
      address,
      size: s.size[i]!,
      fileOffset: binary.elf.loadMap.fileOffset(address),
      params: view?.params ?? null,
    });
  }
  return out.sort((a, b) => a.address - b.address || (a.mangled < b.mangled ? -1 : 1));
}
