// Truncated and corrupted ELF files: each gives an ElfError with the right code and an offset,
// never a crash (RangeError, TypeError…) or a hang.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElfError, openElf, type ElfErrorCode } from "../../../compiler/symbols/elf/index.js";
import { fixtureBinaries, removeFixtureBinaries } from "./fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

let original: Buffer;
let dir: string;
let counter = 0;

beforeAll(() => {
  const fx = fixtureBinaries();
  original = readFileSync(fx.gcc);
  dir = fx.dir;
}, 120_000);

/** Writes `bytes` to a fresh file and reads everything the resolver would read from it. */
function load(bytes: Buffer): ElfError | "ok" {
  const path = join(dir, `corrupt-${counter++}`);
  writeFileSync(path, bytes);
  try {
    const elf = openElf(path);
    try {
      const syms = elf.functionSymbols();
      for (let i = 0; i < syms.count; i++) syms.name(i);
      for (let i = 0; i < syms.count; i++) elf.loadMap.fileOffset(syms.address[i]!);
    } finally {
      elf.close();
    }
    return "ok";
  } catch (err) {
    if (err instanceof ElfError) return err;
    throw err; // anything else is a crash: fail the test with it
  }
}

function expectCode(bytes: Buffer, code: ElfErrorCode, offset?: number): ElfError {
  const r = load(bytes);
  expect(r, `expected ${code}`).toBeInstanceOf(ElfError);
  const e = r as ElfError;
  expect(e.code).toBe(code);
  if (offset !== undefined) expect(e.offset).toBe(offset);
  expect(e.message).toMatch(/at offset 0x[0-9a-f]+/);
  return e;
}

function patched(edit: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(original);
  edit(copy);
  return copy;
}

const shoff = () => Number(original.readBigUInt64LE(40));
const shnum = () => original.readUInt16LE(60);
function sectionHeaderOffset(type: number): number {
  for (let i = 0; i < shnum(); i++) {
    const at = shoff() + i * 64;
    if (original.readUInt32LE(at + 4) === type) return at;
  }
  throw new Error(`no section of type ${type}`);
}

describe("broken ELF files", () => {
  it("rejects a non-ELF file with ELF_NOT_ELF at offset 0", () => {
    const e = expectCode(Buffer.from("#!/bin/sh\necho hello\n"), "ELF_NOT_ELF", 0);
    expect(e.message).toBe("not an ELF file: bad magic (at offset 0x0)");
    expectCode(Buffer.alloc(0), "ELF_NOT_ELF", 0);
    expectCode(Buffer.from([0x7f, 0x45]), "ELF_NOT_ELF", 0);
  });

  it("rejects a 32-bit file with ELF_CLASS32 and a big-endian one with ELF_BIG_ENDIAN", () => {
    expectCode(patched((b) => (b[4] = 1)), "ELF_CLASS32", 4);
    expectCode(patched((b) => (b[5] = 2)), "ELF_BIG_ENDIAN", 5);
    expectCode(patched((b) => (b[4] = 7)), "ELF_BAD_HEADER", 4);
    expectCode(patched((b) => (b[6] = 0)), "ELF_BAD_HEADER", 6);
  });

  it("gives ELF_TRUNCATED or a section/segment error for a truncation at any offset", () => {
    const seen = new Set<string>();
    const step = Math.max(1, Math.floor(original.length / 300));
    const cuts = new Set<number>();
    for (let n = 4; n < original.length; n += step) cuts.add(n);
    for (const n of [5, 16, 17, 63, 64, 65, shoff(), shoff() + 1, original.length - 1]) cuts.add(n);
    for (const n of cuts) {
      const r = load(original.subarray(0, n));
      expect(r, `truncated at ${n}`).toBeInstanceOf(ElfError);
      const e = r as ElfError;
      expect(["ELF_TRUNCATED", "ELF_BAD_SECTION", "ELF_BAD_SEGMENT"], `truncated at ${n}: ${e.message}`).toContain(e.code);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(original.length);
      seen.add(e.code);
    }
    expect(seen.has("ELF_TRUNCATED")).toBe(true);
  });

  it("reports a section header table beyond the end of the file at e_shoff's offset", () => {
    expectCode(patched((b) => b.writeBigUInt64LE(BigInt(original.length + 100), 40)), "ELF_TRUNCATED", 40);
    expectCode(patched((b) => b.writeUInt16LE(0xfff0, 60)), "ELF_TRUNCATED", 40);
    expectCode(patched((b) => b.writeBigUInt64LE(0xffff_ffff_ffff_ff00n, 40)), "ELF_TRUNCATED", 40);
  });

  it("rejects bad header fields: entry sizes and the section name index", () => {
    expectCode(patched((b) => b.writeUInt16LE(40, 58)), "ELF_BAD_HEADER", 58);
    expectCode(patched((b) => b.writeUInt16LE(32, 54)), "ELF_BAD_HEADER", 54);
    expectCode(patched((b) => b.writeUInt16LE(shnum() + 3, 62)), "ELF_BAD_HEADER", 62);
    expectCode(patched((b) => b.writeUInt16LE(12, 52)), "ELF_BAD_HEADER", 52);
  });

  it("reports a .symtab whose data lies beyond EOF at the section header's offset", () => {
    const at = sectionHeaderOffset(2);
    const e = expectCode(patched((b) => b.writeBigUInt64LE(BigInt(original.length - 10), at + 24)), "ELF_BAD_SECTION", at);
    expect(e.message).toContain(".symtab");
    expectCode(patched((b) => b.writeBigUInt64LE(BigInt(original.length * 4), at + 32)), "ELF_BAD_SECTION", at);
  });

  it("reports a symbol table whose string table link is wrong", () => {
    const at = sectionHeaderOffset(2);
    expectCode(patched((b) => b.writeUInt32LE(0, at + 40)), "ELF_BAD_SECTION", at);
    expectCode(patched((b) => b.writeUInt32LE(9999, at + 40)), "ELF_BAD_SECTION", at);
    expectCode(patched((b) => b.writeBigUInt64LE(16n, at + 56)), "ELF_BAD_SECTION", at);
  });

  it("reports a symbol name index outside the string table at the symbol's offset", () => {
    const at = sectionHeaderOffset(2);
    const symOff = Number(original.readBigUInt64LE(at + 24));
    const count = Number(original.readBigUInt64LE(at + 32)) / 24;
    // Find the first defined function symbol and point its name far away.
    let idx = -1;
    for (let i = 0; i < count; i++) {
      const info = original[symOff + i * 24 + 4]!;
      const shndx = original.readUInt16LE(symOff + i * 24 + 6);
      if ((info & 0xf) === 2 && shndx !== 0) {
        idx = i;
        break;
      }
    }
    expect(idx).toBeGreaterThan(0);
    expectCode(patched((b) => b.writeUInt32LE(0x7fff_ffff, symOff + idx * 24)), "ELF_BAD_STRING", symOff + idx * 24);
  });

  it("reports an unterminated name at the end of the string table", () => {
    const at = sectionHeaderOffset(2);
    const strtabHeader = shoff() + original.readUInt32LE(at + 40) * 64;
    const strOff = Number(original.readBigUInt64LE(strtabHeader + 24));
    const strSize = Number(original.readBigUInt64LE(strtabHeader + 32));
    // Overwrite the table's final NUL: the last name now runs off its end.
    const e = load(patched((b) => (b[strOff + strSize - 1] = 0x41)));
    expect(e).toBeInstanceOf(ElfError);
    expect((e as ElfError).code).toBe("ELF_BAD_STRING");
  });

  it("reports a section name index outside .shstrtab", () => {
    const e = expectCode(patched((b) => b.writeUInt32LE(0x7fff_0000, shoff() + 64)), "ELF_BAD_STRING", shoff() + 64);
    expect(e.message).toContain("section 1");
  });

  it("reports a PT_LOAD segment beyond EOF", () => {
    const phoff = Number(original.readBigUInt64LE(32));
    const phnum = original.readUInt16LE(56);
    let load0 = -1;
    for (let i = 0; i < phnum; i++) if (original.readUInt32LE(phoff + i * 56) === 1) { load0 = phoff + i * 56; break; }
    expectCode(patched((b) => b.writeBigUInt64LE(BigInt(original.length * 2), load0 + 32)), "ELF_BAD_SEGMENT", load0);
  });

  it("reports a build-id note that runs past its section", () => {
    const at = (() => {
      for (let i = 0; i < shnum(); i++) {
        const h = shoff() + i * 64;
        if (original.readUInt32LE(h + 4) !== 7) continue;
        const data = Number(original.readBigUInt64LE(h + 24));
        if (original.readUInt32LE(data + 8) === 3) return data; // NT_GNU_BUILD_ID
      }
      throw new Error("no build-id note");
    })();
    expectCode(patched((b) => b.writeUInt32LE(0x10000, at + 4)), "ELF_BAD_SECTION", at);
  });

  it("survives random byte corruption without a crash or hang", () => {
    // A fixed-seed PRNG keeps the test reproducible.
    let seed = 0x12345678;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x1_0000_0000);
    const headerish = [0, 64 + 56 * 13, shoff(), shoff() + shnum() * 64];
    let ok = 0;
    let errors = 0;
    for (let round = 0; round < 400; round++) {
      const copy = Buffer.from(original);
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) {
        // Aim most flips at headers, where they matter.
        const region = Math.floor(rand() * 2);
        const at = region === 0 ? Math.floor(rand() * headerish[1]!) : headerish[2]! + Math.floor(rand() * (headerish[3]! - headerish[2]!));
        copy[at] = Math.floor(rand() * 256);
      }
      const r = load(copy);
      if (r === "ok") ok++;
      else errors++;
    }
    expect(ok + errors).toBe(400);
    expect(errors).toBeGreaterThan(0);
  });
});
