// .note.gnu.build-id and .gnu_debuglink: how a binary names itself and its separate debug file.
import { ElfError } from "./elf-error.js";
import type { PositionedFile } from "./positioned-file.js";
import { readSectionData, SHT_NOTE, type SectionHeader } from "./sections.js";
import { PT_NOTE, type ProgramHeader } from "./segments.js";

const NT_GNU_BUILD_ID = 3;

export interface DebugLink {
  file: string;
  crc32: number;
}

/** Walks the notes in `data` (read from file offset `base`) and returns the GNU build-id as hex. */
function buildIdInNotes(data: Buffer, base: number, path: string): string | null {
  let at = 0;
  while (at + 12 <= data.length) {
    const namesz = data.readUInt32LE(at);
    const descsz = data.readUInt32LE(at + 4);
    const type = data.readUInt32LE(at + 8);
    const nameStart = at + 12;
    const descStart = nameStart + align4(namesz);
    const next = descStart + align4(descsz);
    if (descStart + descsz > data.length || next < at) {
      throw new ElfError("ELF_BAD_SECTION", `note of ${namesz}+${descsz} bytes runs past the end of its note section`, base + at, path);
    }
    const owner = data.toString("latin1", nameStart, nameStart + Math.max(0, namesz - 1));
    if (type === NT_GNU_BUILD_ID && owner === "GNU") return data.toString("hex", descStart, descStart + descsz);
    at = next;
  }
  return null;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

export function readBuildId(file: PositionedFile, sections: SectionHeader[], programHeaders: ProgramHeader[]): string | null {
  const noteSections = sections.filter((s) => s.type === SHT_NOTE);
  // Prefer the conventional section, then any note section, then PT_NOTE segments (files without
  // section headers still carry their build-id there).
  noteSections.sort((a, b) => Number(b.name === ".note.gnu.build-id") - Number(a.name === ".note.gnu.build-id"));
  for (const s of noteSections) {
    if (s.size > 1 << 20) continue; // build-id notes are tiny; don't read a huge annotation section
    const id = buildIdInNotes(readSectionData(file, s), s.offset, file.path);
    if (id !== null) return id;
  }
  if (noteSections.length === 0) {
    for (const p of programHeaders) {
      if (p.type !== PT_NOTE || p.filesz > 1 << 20) continue;
      const id = buildIdInNotes(file.read(p.offset, p.filesz, "PT_NOTE segment"), p.offset, file.path);
      if (id !== null) return id;
    }
  }
  return null;
}

export function readDebugLink(file: PositionedFile, sections: SectionHeader[]): DebugLink | null {
  const s = sections.find((x) => x.name === ".gnu_debuglink");
  if (s === undefined) return null;
  const data = readSectionData(file, s);
  const end = data.indexOf(0);
  if (end < 0) throw new ElfError("ELF_BAD_SECTION", ".gnu_debuglink file name is not NUL-terminated", s.offset, file.path);
  const crcAt = align4(end + 1);
  if (crcAt + 4 > data.length) throw new ElfError("ELF_BAD_SECTION", ".gnu_debuglink has no CRC after its file name", s.offset + end, file.path);
  return { file: data.toString("utf8", 0, end), crc32: data.readUInt32LE(crcAt) };
}
