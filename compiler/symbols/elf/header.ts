// The ELF file header (the first 64 bytes of an ELF64 file).
import { ElfError } from "./elf-error.js";
import type { PositionedFile } from "./positioned-file.js";

export const ELF64_HEADER_SIZE = 64;
export const ELF64_SECTION_HEADER_SIZE = 64;
export const ELF64_PROGRAM_HEADER_SIZE = 56;

export type ElfArch = "x86-64" | "aarch64" | `machine-${number}`;

export interface ElfHeader {
  /** ET_EXEC = 2, ET_DYN = 3 (PIE and shared objects), ET_REL = 1. */
  type: number;
  machine: number;
  arch: ElfArch;
  entry: number;
  phoff: number;
  shoff: number;
  phnum: number;
  shnum: number;
  shstrndx: number;
}

/** Reads a little-endian u64 as a number. Exact below 2^53, which covers file offsets and user-space addresses. */
export function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 0x1_0000_0000;
}

function archOf(machine: number): ElfArch {
  if (machine === 62) return "x86-64";
  if (machine === 183) return "aarch64";
  return `machine-${machine}`;
}

export function readElfHeader(file: PositionedFile): ElfHeader {
  const fail = (code: ConstructorParameters<typeof ElfError>[0], reason: string, offset: number): never => {
    throw new ElfError(code, reason, offset, file.path);
  };
  // Check the identification bytes before demanding a full 64-byte header, so that a short text
  // file is "not an ELF file", not "truncated".
  const identLength = Math.min(16, file.size);
  const ident = file.read(0, identLength, "ELF identification");
  if (identLength < 4 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) {
    fail("ELF_NOT_ELF", "not an ELF file: bad magic", 0);
  }
  if (identLength < 16) fail("ELF_TRUNCATED", "ELF identification is shorter than 16 bytes", file.size);
  if (ident[4] === 1) fail("ELF_CLASS32", "32-bit ELF files are not supported (EI_CLASS is ELFCLASS32)", 4);
  if (ident[4] !== 2) fail("ELF_BAD_HEADER", `bad EI_CLASS ${ident[4]}`, 4);
  if (ident[5] === 2) fail("ELF_BIG_ENDIAN", "big-endian ELF files are not supported (EI_DATA is ELFDATA2MSB)", 5);
  if (ident[5] !== 1) fail("ELF_BAD_HEADER", `bad EI_DATA ${ident[5]}`, 5);
  if (ident[6] !== 1) fail("ELF_BAD_HEADER", `bad EI_VERSION ${ident[6]}`, 6);

  const h = file.read(0, ELF64_HEADER_SIZE, "ELF header");
  const type = h.readUInt16LE(16);
  const machine = h.readUInt16LE(18);
  const phoff = readU64(h, 32);
  const shoff = readU64(h, 40);
  const ehsize = h.readUInt16LE(52);
  const phentsize = h.readUInt16LE(54);
  const phnum = h.readUInt16LE(56);
  const shentsize = h.readUInt16LE(58);
  let shnum = h.readUInt16LE(60);
  let shstrndx = h.readUInt16LE(62);

  if (ehsize !== ELF64_HEADER_SIZE) fail("ELF_BAD_HEADER", `e_ehsize is ${ehsize}, expected 64`, 52);
  if (phnum > 0 && phentsize !== ELF64_PROGRAM_HEADER_SIZE) fail("ELF_BAD_HEADER", `e_phentsize is ${phentsize}, expected 56`, 54);
  if (shoff !== 0 && shentsize !== ELF64_SECTION_HEADER_SIZE) fail("ELF_BAD_HEADER", `e_shentsize is ${shentsize}, expected 64`, 58);
  if (phnum > 0 && phoff + phnum * ELF64_PROGRAM_HEADER_SIZE > file.size) {
    fail("ELF_TRUNCATED", `program headers (${phnum} at 0x${phoff.toString(16)}) run past the end of the file`, 32);
  }
  if (shoff !== 0) {
    if (shoff + ELF64_SECTION_HEADER_SIZE > file.size) {
      fail("ELF_TRUNCATED", `section header table at 0x${shoff.toString(16)} runs past the end of the file`, 40);
    }
    // Extended numbering: with 0xff00 or more sections, e_shnum is 0 and e_shstrndx is SHN_XINDEX;
    // the real values live in section header 0.
    if (shnum === 0 || shstrndx === 0xffff) {
      const s0 = file.read(shoff, ELF64_SECTION_HEADER_SIZE, "section header 0");
      if (shnum === 0) shnum = readU64(s0, 32);
      if (shstrndx === 0xffff) shstrndx = s0.readUInt32LE(40);
    }
    if (shoff + shnum * ELF64_SECTION_HEADER_SIZE > file.size) {
      fail("ELF_TRUNCATED", `section header table (${shnum} entries at 0x${shoff.toString(16)}) runs past the end of the file`, 40);
    }
    if (shnum > 0 && shstrndx >= shnum) fail("ELF_BAD_HEADER", `e_shstrndx ${shstrndx} is not below the section count ${shnum}`, 62);
  } else {
    shnum = 0;
  }
  return { type, machine, arch: archOf(machine), entry: readU64(h, 24), phoff, shoff, phnum, shnum, shstrndx };
}
