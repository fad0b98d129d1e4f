// The ELF64 reader's public face: open a binary, learn what it is, read its function symbols.
import { ElfError } from "./elf-error.js";
import { readFunctionSymbols, type FunctionSymbols } from "./function-symbols.js";
import { readElfHeader, type ElfArch, type ElfHeader } from "./header.js";
import { readBuildId, readDebugLink, type DebugLink } from "./notes.js";
import { PositionedFile } from "./positioned-file.js";
import { readSectionData, readSectionHeaders, SHT_DYNSYM, SHT_SYMTAB, type SectionHeader } from "./sections.js";
import { LoadMap, readProgramHeaders, type ProgramHeader } from "./segments.js";

export { ElfError, type ElfErrorCode } from "./elf-error.js";
export { FunctionSymbols, type SymbolBinding } from "./function-symbols.js";
export type { ElfArch, ElfHeader } from "./header.js";
export type { DebugLink } from "./notes.js";
export type { SectionHeader } from "./sections.js";
export { LoadMap, type ProgramHeader } from "./segments.js";

export class ElfImage {
  private symbols: FunctionSymbols | undefined;

  private constructor(
    private readonly file: PositionedFile,
    readonly header: ElfHeader,
    readonly sections: SectionHeader[],
    readonly programHeaders: ProgramHeader[],
    readonly loadMap: LoadMap,
    /** Lower-case hex, or null when the binary has no GNU build-id note. */
    readonly buildId: string | null,
    readonly debugLink: DebugLink | null,
  ) {}

  /** Opens `path` and reads its headers, notes and debuglink (small reads only). */
  static open(path: string): ElfImage {
    const file = PositionedFile.open(path);
    try {
      const header = readElfHeader(file);
      const sections = readSectionHeaders(file, header);
      const programHeaders = readProgramHeaders(file, header);
      const buildId = readBuildId(file, sections, programHeaders);
      const debugLink = readDebugLink(file, sections);
      return new ElfImage(file, header, sections, programHeaders, new LoadMap(programHeaders), buildId, debugLink);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  get path(): string {
    return this.file.path;
  }
  get arch(): ElfArch {
    return this.header.arch;
  }
  get fileSize(): number {
    return this.file.size;
  }
  /**
   * What identifies this exact file on disk: device, inode, size, and modification and change
   * times in nanoseconds. Any rewrite of the file changes the change time (ctime), which no user
   * tool can set back.
   */
  get fileIdentity(): string {
    const s = this.file.stats;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  }

  /** True when there is no `.symtab`, so only the exported `.dynsym` functions are visible. */
  get stripped(): boolean {
    return !this.sections.some((s) => s.type === SHT_SYMTAB);
  }

  /** Whether the symbol table has been read (a warm cache hit must not need it). */
  get symbolsRead(): boolean {
    return this.symbols !== undefined;
  }

  /** The function symbols of `.symtab`, or of `.dynsym` when the binary is stripped. Read once. */
  functionSymbols(): FunctionSymbols {
    if (this.symbols === undefined) {
      const table = this.sections.find((s) => s.type === SHT_SYMTAB) ?? this.sections.find((s) => s.type === SHT_DYNSYM);
      if (table === undefined) {
        throw new ElfError("ELF_NO_SYMBOLS", "the binary has neither .symtab nor .dynsym", -1, this.file.path);
      }
      this.symbols = readFunctionSymbols(this.file, table, this.sections);
    }
    return this.symbols;
  }

  /** Reads a section's bytes (bounds-checked). */
  readSection(section: SectionHeader): Buffer {
    return readSectionData(this.file, section);
  }

  close(): void {
    this.file.close();
  }
}

export function openElf(path: string): ElfImage {
  return ElfImage.open(path);
}
