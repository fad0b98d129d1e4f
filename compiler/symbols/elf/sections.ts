// Section headers and their names. Section data is read on demand and bounds-checked then, so a
// corrupt section the caller never touches (a stray debug section) does not make the file unusable.
import { ElfError, hex } from "./elf-error.js";
import { ELF64_SECTION_HEADER_SIZE, readU64, type ElfHeader } from "./header.js";
import type { PositionedFile } from "./positioned-file.js";

export const SHT_NULL = 0;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  /** File offset of this header entry, for error messages. */
  headerOffset: number;
}

export function readSectionHeaders(file: PositionedFile, header: ElfHeader): SectionHeader[] {
  if (header.shnum === 0) return [];
  const table = file.read(header.shoff, header.shnum * ELF64_SECTION_HEADER_SIZE, "section header table");
  const sections: SectionHeader[] = [];
  for (let i = 0; i < header.shnum; i++) {
    const at = i * ELF64_SECTION_HEADER_SIZE;
    sections.push({
      index: i,
      name: "",
      type: table.readUInt32LE(at + 4),
      flags: readU64(table, at + 8),
      addr: readU64(table, at + 16),
      offset: readU64(table, at + 24),
      size: readU64(table, at + 32),
      link: table.readUInt32LE(at + 40),
      info: table.readUInt32LE(at + 44),
      entsize: readU64(table, at + 56),
      headerOffset: header.shoff + at,
    });
  }
  const shstr = sections[header.shstrndx];
  if (shstr === undefined || header.shstrndx === 0) return sections; // no names: sections are still usable by type
  if (shstr.type !== SHT_STRTAB) {
    throw new ElfError("ELF_BAD_SECTION", `e_shstrndx points at section ${header.shstrndx}, which is not a string table`, shstr.headerOffset, file.path);
  }
  const names = readSectionData(file, shstr);
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i]!;
    const nameOffset = table.readUInt32LE(i * ELF64_SECTION_HEADER_SIZE);
    s.name = readCString(names, nameOffset, () => new ElfError(
      "ELF_BAD_STRING",
      `section ${i}'s name index ${nameOffset} is outside the section name table (size ${names.length})`,
      s.headerOffset,
      file.path,
    ));
  }
  return sections;
}

/** Reads a whole section's bytes, checking that the section lies inside the file. */
export function readSectionData(file: PositionedFile, section: SectionHeader): Buffer {
  if (section.type === SHT_NOBITS) return Buffer.alloc(0);
  if (section.offset > file.size || section.size > file.size - section.offset) {
    throw new ElfError(
      "ELF_BAD_SECTION",
      `section ${section.index} (${section.name || "unnamed"}) spans ${hex(section.offset)}..${hex(section.offset + section.size)}, past the end of the file (size ${hex(file.size)})`,
      section.headerOffset,
      file.path,
    );
  }
  return file.read(section.offset, section.size, `section ${section.name || section.index}`);
}

/** A NUL-terminated string at `offset` in `table`; `bad` builds the error when it is out of range or unterminated. */
export function readCString(table: Buffer, offset: number, bad: () => ElfError): string {
  if (offset >= table.length) {
    if (offset === 0 && table.length === 0) return "";
    throw bad();
  }
  const end = table.indexOf(0, offset);
  if (end < 0) throw bad();
  return table.toString("utf8", offset, end);
}

export function findSection(sections: SectionHeader[], name: string): SectionHeader | undefined {
  return sections.find((s) => s.name === name);
}
