// PT_LOAD segments: how virtual addresses map to file offsets (uprobes attach at file offsets).
import { ElfError, hex } from "./elf-error.js";
import { ELF64_PROGRAM_HEADER_SIZE, readU64, type ElfHeader } from "./header.js";
import type { PositionedFile } from "./positioned-file.js";

export const PT_LOAD = 1;
export const PT_NOTE = 4;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export function readProgramHeaders(file: PositionedFile, header: ElfHeader): ProgramHeader[] {
  if (header.phnum === 0) return [];
  const table = file.read(header.phoff, header.phnum * ELF64_PROGRAM_HEADER_SIZE, "program header table");
  const result: ProgramHeader[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = i * ELF64_PROGRAM_HEADER_SIZE;
    const ph: ProgramHeader = {
      type: table.readUInt32LE(at),
      flags: table.readUInt32LE(at + 4),
      offset: readU64(table, at + 8),
      vaddr: readU64(table, at + 16),
      filesz: readU64(table, at + 32),
      memsz: readU64(table, at + 40),
      align: readU64(table, at + 48),
    };
    if (ph.type === PT_LOAD && (ph.offset > file.size || ph.filesz > file.size - ph.offset)) {
      throw new ElfError(
        "ELF_BAD_SEGMENT",
        `PT_LOAD segment ${i} spans ${hex(ph.offset)}..${hex(ph.offset + ph.filesz)}, past the end of the file (size ${hex(file.size)})`,
        header.phoff + at,
        file.path,
      );
    }
    result.push(ph);
  }
  return result;
}

/** Maps virtual addresses to file offsets through the PT_LOAD segments. */
export class LoadMap {
  readonly segments: readonly ProgramHeader[];
  constructor(programHeaders: readonly ProgramHeader[]) {
    this.segments = programHeaders.filter((p) => p.type === PT_LOAD).sort((a, b) => a.vaddr - b.vaddr);
  }

  /** The file offset holding the byte at `vaddr`, or null when no segment maps it from the file. */
  fileOffset(vaddr: number): number | null {
    for (const s of this.segments) {
      if (vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
    }
    return null;
  }

  /** The virtual address where the byte at file offset `offset` is loaded, or null. */
  vaddr(offset: number): number | null {
    for (const s of this.segments) {
      if (offset >= s.offset && offset < s.offset + s.filesz) return s.vaddr + (offset - s.offset);
    }
    return null;
  }
}
