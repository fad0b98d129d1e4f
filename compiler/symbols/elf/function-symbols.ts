// Function symbols of .symtab (or .dynsym), kept as columns over the raw string table so that a
// million symbols cost a few typed arrays, and names are only turned into strings when asked for.
import { ElfError, hex } from "./elf-error.js";
import type { PositionedFile } from "./positioned-file.js";
import { readSectionData, SHT_STRTAB, type SectionHeader } from "./sections.js";

const SYM_ENTRY_SIZE = 24;
const WORDS_PER_ENTRY = SYM_ENTRY_SIZE / 4;
const HALVES_PER_ENTRY = SYM_ENTRY_SIZE / 2;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;

export type SymbolBinding = "local" | "global" | "weak" | `binding-${number}`;

export class FunctionSymbols {
  private readonly words: Uint32Array;
  private readonly halves: Uint16Array;

  constructor(
    /** Which table the symbols come from: `.dynsym` means the binary is stripped of `.symtab`. */
    readonly source: ".symtab" | ".dynsym",
    /** The whole string table, as read in one piece. */
    readonly strtab: Buffer,
    readonly count: number,
    /** Offset of each name in `strtab`. */
    readonly nameOffset: Uint32Array,
    /** Index in the raw table of each function symbol: the other fields are read from there. */
    private readonly entry: Uint32Array,
    /** The raw symbol table section, kept so a cache can fingerprint the table exactly. */
    readonly rawTable: Buffer,
    /** File offset of the string table, for error messages about names. */
    private readonly strtabFileOffset: number,
    private readonly path: string,
  ) {
    // `rawTable` owns its ArrayBuffer from offset 0 (an unpooled read), so these views are aligned.
    this.words = new Uint32Array(rawTable.buffer, rawTable.byteOffset, rawTable.length >>> 2);
    this.halves = new Uint16Array(rawTable.buffer, rawTable.byteOffset, rawTable.length >>> 1);
  }

  /** st_value of symbol i: the entry address. */
  addressOf(i: number): number {
    const w = this.entry[i]! * WORDS_PER_ENTRY;
    return this.words[w + 2]! + this.words[w + 3]! * 0x1_0000_0000;
  }

  /** st_size of symbol i. */
  sizeOf(i: number): number {
    const w = this.entry[i]! * WORDS_PER_ENTRY;
    return this.words[w + 4]! + this.words[w + 5]! * 0x1_0000_0000;
  }

  /** st_info of symbol i: binding in the high nibble, type in the low one. */
  infoOf(i: number): number {
    return this.rawTable[this.entry[i]! * SYM_ENTRY_SIZE + 4]!;
  }

  /** st_shndx of symbol i. */
  sectionIndexOf(i: number): number {
    return this.halves[this.entry[i]! * HALVES_PER_ENTRY + 3]!;
  }

  // Whole columns, built on first use: a one-shot resolution touches a few hundred symbols and
  // reads them one by one, so the reader does not pay for columns nobody asks for.

  /** Entry address of every function symbol. */
  get address(): Float64Array {
    if (this.addressColumn === undefined) {
      const column = new Float64Array(this.count);
      for (let i = 0; i < column.length; i++) column[i] = this.addressOf(i);
      this.addressColumn = column;
    }
    return this.addressColumn;
  }
  private addressColumn: Float64Array | undefined;

  /** Size of every function symbol. */
  get size(): Float64Array {
    if (this.sizeColumn === undefined) {
      const column = new Float64Array(this.count);
      for (let i = 0; i < column.length; i++) column[i] = this.sizeOf(i);
      this.sizeColumn = column;
    }
    return this.sizeColumn;
  }
  private sizeColumn: Float64Array | undefined;

  /** End (exclusive, the NUL) of symbol i's name in `strtab`. */
  nameEnd(i: number): number {
    const end = this.strtab.indexOf(0, this.nameOffset[i]!);
    if (end < 0) {
      throw new ElfError("ELF_BAD_STRING", `symbol name at string table offset ${this.nameOffset[i]} is not NUL-terminated`, this.strtabFileOffset + this.nameOffset[i]!, this.path);
    }
    return end;
  }

  name(i: number): string {
    return this.strtab.toString("utf8", this.nameOffset[i]!, this.nameEnd(i));
  }

  binding(i: number): SymbolBinding {
    const b = this.infoOf(i) >> 4;
    return b === 0 ? "local" : b === 1 ? "global" : b === 2 ? "weak" : `binding-${b}`;
  }

  /** True when name offsets never decrease with the symbol index (generated and some linked tables). */
  namesInOrder(): boolean {
    if (this.namesSorted === undefined) {
      const off = this.nameOffset;
      let sorted = true;
      for (let i = 1; i < this.count && sorted; i++) if (off[i - 1]! > off[i]!) sorted = false;
      this.namesSorted = sorted;
    }
    return this.namesSorted;
  }
  private namesSorted: boolean | undefined;

  /** Calls `visit` for each symbol whose name starts at `offset` in `strtab`, by binary search. */
  forEachAt(offset: number, visit: (index: number) => void): void {
    const order = this.orderByName();
    const off = this.nameOffset;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (off[order === null ? mid : order[mid]!]! < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.count; k++) {
      const i = order === null ? k : order[k]!;
      if (off[i] !== offset) break;
      visit(i);
    }
  }

  /** Symbol indices in name-offset order, or null when the table is already in that order. */
  private orderByName(): Uint32Array | null {
    if (this.namesInOrder()) return null;
    if (this.order === undefined) {
      const n = this.count;
      const off = this.nameOffset;
      const order = new Uint32Array(n);
      if (n >= 0x100_0000 || this.strtab.length >= 0x2000_0000) {
        for (let i = 0; i < n; i++) order[i] = i;
        order.sort((a, b) => off[a]! - off[b]! || a - b);
      } else {
        // Pack (offset, index) into one double for the native numeric sort (exact below 2^53).
        const keys = new Float64Array(n);
        for (let i = 0; i < n; i++) keys[i] = off[i]! * 0x100_0000 + i;
        keys.sort();
        for (let i = 0; i < n; i++) order[i] = keys[i]! % 0x100_0000;
      }
      this.order = order;
    }
    return this.order;
  }
  private order: Uint32Array | undefined;

  /**
   * Name offsets that start inside another string (the linker shared a tail: `bar` pointing into
   * `foobar`), sorted. Usually empty; searches use it to find such names without probing every byte.
   */
  interiorNameOffsets(): Uint32Array {
    if (this.interior === undefined) {
      const found: number[] = [];
      const t = this.strtab;
      const off = this.nameOffset;
      for (let i = 0; i < this.count; i++) {
        const o = off[i]!;
        if (o > 0 && t[o - 1] !== 0) found.push(o);
      }
      this.interior = Uint32Array.from(new Set(found)).sort();
    }
    return this.interior;
  }
  private interior: Uint32Array | undefined;
}

/**
 * Reads the defined function symbols (STT_FUNC and STT_GNU_IFUNC, not SHN_UNDEF) of a symbol table
 * section. The symbol table is read in one read and so is its string table.
 */
export function readFunctionSymbols(file: PositionedFile, symtab: SectionHeader, sections: SectionHeader[]): FunctionSymbols {
  const source = symtab.name === ".dynsym" ? ".dynsym" : ".symtab";
  if (symtab.entsize !== SYM_ENTRY_SIZE) {
    throw new ElfError("ELF_BAD_SECTION", `${source} has entry size ${symtab.entsize}, expected ${SYM_ENTRY_SIZE}`, symtab.headerOffset, file.path);
  }
  const strSection = sections[symtab.link];
  if (strSection === undefined || symtab.link === 0 || strSection.type !== SHT_STRTAB) {
    throw new ElfError("ELF_BAD_SECTION", `${source}'s sh_link ${symtab.link} does not name a string table`, symtab.headerOffset, file.path);
  }
  const raw = readSectionData(file, symtab);
  const strtab = readSectionData(file, strSection);
  const total = Math.floor(raw.length / SYM_ENTRY_SIZE);
  // `raw` owns its ArrayBuffer from offset 0, so these views are aligned.
  const u32 = new Uint32Array(raw.buffer, raw.byteOffset, (total * SYM_ENTRY_SIZE) / 4);
  const u16 = new Uint16Array(raw.buffer, raw.byteOffset, (total * SYM_ENTRY_SIZE) / 2);

  // The one pass over every entry keeps only what searches need (the name) and where the rest is;
  // addresses and sizes are read from the raw table for the few symbols that are looked at.
  const nameOffset = new Uint32Array(total);
  const entry = new Uint32Array(total);
  const strtabLength = strtab.length;
  let k = 0;
  for (let i = 0; i < total; i++) {
    const type = raw[i * SYM_ENTRY_SIZE + 4]! & 0xf;
    if (type !== STT_FUNC && type !== STT_GNU_IFUNC) continue;
    const shndx = u16[i * HALVES_PER_ENTRY + 3]!;
    if (shndx === SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx !== SHN_ABS)) continue;
    const name = u32[i * WORDS_PER_ENTRY]!;
    if (name >= strtabLength) {
      throw new ElfError(
        "ELF_BAD_STRING",
        `symbol ${i}'s name index ${name} is outside the string table (size ${hex(strtabLength)})`,
        symtab.offset + i * SYM_ENTRY_SIZE,
        file.path,
      );
    }
    nameOffset[k] = name;
    entry[k] = i;
    k++;
  }
  const count = k;
  return new FunctionSymbols(source, strtab, count, nameOffset.subarray(0, count), entry.subarray(0, count), raw, strSection.offset, file.path);
}

