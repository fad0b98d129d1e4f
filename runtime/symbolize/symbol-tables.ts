// Function symbols per file, sorted by address, for address → `symbol+offset` lookups. Files are
// read with the compiler's ELF reader (positioned reads) once each, on first use.
import { openElf } from "../../compiler/symbols/elf/index.js";
import type { Demangler } from "../decode/stack.js";

interface SortedSymbols {
  /** ELF virtual address of the file offset; null when no PT_LOAD maps the offset. */
  vaddrOf: (fileOffset: number) => number | null;
  starts: Float64Array;
  sizes: Float64Array;
  names: string[];
}

export class SymbolTables {
  private readonly files = new Map<string, SortedSymbols | null>();

  constructor(private readonly demangle?: Demangler) {}

  private load(path: string): SortedSymbols | null {
    if (this.files.has(path)) return this.files.get(path)!;
    let table: SortedSymbols | null = null;
    try {
      const elf = openElf(path);
      try {
        const syms = elf.functionSymbols();
        const order = [...Array(syms.count).keys()].filter((i) => syms.address[i]! > 0).sort((a, b) => syms.address[a]! - syms.address[b]!);
        table = {
          vaddrOf: (off) => elf.loadMap.vaddr(off),
          starts: Float64Array.from(order, (i) => syms.address[i]!),
          sizes: Float64Array.from(order, (i) => syms.size[i]!),
          names: order.map((i) => syms.name(i)),
        };
      } finally {
        elf.close();
      }
    } catch {
      table = null; // not an ELF file we can read (vdso, a deleted file): frames stay addresses
    }
    this.files.set(path, table);
    return table;
  }

  /** The symbol holding `fileOffset` of `path`, demangled, with the offset into it. */
  lookup(path: string, fileOffset: number): { symbol: string; offset: number } | null {
    const t = this.load(path);
    if (!t) return null;
    const vaddr = t.vaddrOf(fileOffset);
    if (vaddr === null) return null;
    let lo = 0;
    let hi = t.starts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (t.starts[mid]! <= vaddr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return null;
    const offset = vaddr - t.starts[best]!;
    // A symbol with size 0 (hand-written asm) covers up to the next symbol.
    if (t.sizes[best]! > 0 && offset >= t.sizes[best]!) return null;
    const name = t.names[best]!;
    return { symbol: (name.startsWith("_Z") && this.demangle?.(name)) || name, offset };
  }
}
