// A binary opened for symbol resolution: its ELF facts now, its symbol table when first needed.
import { openElf, type ElfArch, type ElfImage, type FunctionSymbols } from "../elf/index.js";
import { sha1Hex } from "./sha1.js";
import { detectStdLib, type StdLibFacts } from "./stdlib.js";

export interface BinaryFacts {
  path: string;
  /** Lower-case hex GNU build-id, or null. */
  buildId: string | null;
  arch: ElfArch;
  /** True when only `.dynsym` is there (stripped): local functions and lambdas are invisible. */
  stripped: boolean;
  symbolSource: ".symtab" | ".dynsym";
  stdlib: StdLibFacts;
}

export class SymbolBinary {
  private stdlibFacts: StdLibFacts | undefined;
  private tableDigest: string | undefined;

  constructor(readonly elf: ElfImage) {}

  get path(): string {
    return this.elf.path;
  }

  /** Reads the symbol table on first use (the one large read). */
  symbols(): FunctionSymbols {
    return this.elf.functionSymbols();
  }

  stdlib(): StdLibFacts {
    this.stdlibFacts ??= detectStdLib(this.elf, this.symbols());
    return this.stdlibFacts;
  }

  /** SHA-1 of the raw symbol table and its string table: what a cache entry is valid for. */
  symbolTableDigest(): string {
    if (this.tableDigest === undefined) {
      const s = this.symbols();
      this.tableDigest = sha1Hex(s.rawTable, s.strtab);
    }
    return this.tableDigest;
  }

  facts(): BinaryFacts {
    const elf = this.elf;
    return {
      path: elf.path,
      buildId: elf.buildId,
      arch: elf.arch,
      stripped: elf.stripped,
      symbolSource: elf.stripped ? ".dynsym" : ".symtab",
      stdlib: this.stdlib(),
    };
  }

  close(): void {
    this.elf.close();
  }
}

/** Opens a binary: reads headers and notes only. Throws ElfError. */
export function openBinary(path: string): SymbolBinary {
  return new SymbolBinary(openElf(path));
}
