// The ELF reader against real binaries, with readelf/nm as the oracle.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openElf } from "../../../compiler/symbols/elf/index.js";
import { fixtureBinaries, removeFixtureBinaries, type FixtureBinaries } from "./fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

let fx: FixtureBinaries;
beforeAll(() => {
  fx = fixtureBinaries();
}, 120_000);

function readelf(args: string[]): string {
  return execFileSync("readelf", ["-W", ...args], { encoding: "utf8", maxBuffer: 256 << 20 });
}

/** Defined FUNC/IFUNC symbols of one table per readelf: name → address. */
function readelfFunctions(path: string, table: ".symtab" | ".dynsym"): Map<string, number[]> {
  const out = readelf([table === ".symtab" ? "--syms" : "--dyn-syms", path]);
  const result = new Map<string, number[]>();
  let inTable = false;
  for (const line of out.split("\n")) {
    if (line.startsWith("Symbol table")) inTable = line.includes(`'${table}'`);
    if (!inTable) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^\d+:$/.test(f[0]!)) continue;
    if ((f[3] !== "FUNC" && f[3] !== "IFUNC") || f[6] === "UND") continue;
    const name = f[7]!.replace(/@.*$/, "");
    const list = result.get(name) ?? [];
    list.push(parseInt(f[1]!, 16));
    result.set(name, list);
  }
  return result;
}

function buildIdOf(path: string): string | null {
  const m = /Build ID: ([0-9a-f]+)/.exec(readelf(["-n", path]));
  return m ? m[1]! : null;
}

function ourFunctions(path: string): Map<string, number[]> {
  const elf = openElf(path);
  try {
    const syms = elf.functionSymbols();
    const result = new Map<string, number[]>();
    for (let i = 0; i < syms.count; i++) {
      const list = result.get(syms.name(i)) ?? [];
      list.push(syms.address[i]!);
      result.set(syms.name(i), list);
    }
    return result;
  } finally {
    elf.close();
  }
}

describe("ELF64 reader on real binaries", () => {
  it("reads the gcc fixture's header, build-id and every .symtab function like readelf", () => {
    const elf = openElf(fx.gcc);
    try {
      expect(elf.arch).toBe("x86-64");
      expect(elf.header.type).toBe(3); // PIE
      expect(elf.buildId).toBe(buildIdOf(fx.gcc));
      expect(elf.buildId).toMatch(/^[0-9a-f]{40}$/);
      expect(elf.stripped).toBe(false);
      expect(elf.functionSymbols().source).toBe(".symtab");
    } finally {
      elf.close();
    }
    const ours = ourFunctions(fx.gcc);
    const theirs = readelfFunctions(fx.gcc, ".symtab");
    expect(ours).toEqual(theirs);
    expect(ours.has("_ZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_base")).toBe(true);
    expect(ours.has("main.cold")).toBe(true);
  });

  it("reports sizes, bindings and section indices", () => {
    const elf = openElf(fx.gcc);
    try {
      const syms = elf.functionSymbols();
      const nm = execFileSync("nm", ["-S", "--defined-only", fx.gcc], { encoding: "utf8" });
      const line = nm.split("\n").find((l) => l.endsWith(" c_helper"))!;
      const [addr, size, kind] = line.split(" ");
      const i = Array.from({ length: syms.count }, (_, k) => k).find((k) => syms.name(k) === "c_helper")!;
      expect(syms.address[i]).toBe(parseInt(addr!, 16));
      expect(syms.size[i]).toBe(parseInt(size!, 16));
      expect(kind).toBe("T");
      expect(syms.binding(i)).toBe("global");
      const text = elf.sections[syms.sectionIndexOf(i)]!;
      expect(text.name).toBe(".text");
      const cold = Array.from({ length: syms.count }, (_, k) => k).find((k) => syms.name(k) === "main.cold")!;
      expect(syms.binding(cold)).toBe("local");
    } finally {
      elf.close();
    }
  });

  it("maps virtual addresses to file offsets through PT_LOAD and back", () => {
    const elf = openElf(fx.gcc);
    try {
      const text = elf.sections.find((s) => s.name === ".text")!;
      expect(elf.loadMap.fileOffset(text.addr)).toBe(text.offset);
      expect(elf.loadMap.fileOffset(text.addr + 17)).toBe(text.offset + 17);
      expect(elf.loadMap.vaddr(text.offset + 17)).toBe(text.addr + 17);
      const rodata = elf.sections.find((s) => s.name === ".data")!;
      expect(elf.loadMap.fileOffset(rodata.addr)).toBe(rodata.offset);
      expect(elf.loadMap.fileOffset(0x7fff_ffff_0000)).toBeNull();
    } finally {
      elf.close();
    }
  });

  it("falls back to .dynsym on a stripped binary and says so", () => {
    const elf = openElf(fx.gccStripped);
    try {
      expect(elf.stripped).toBe(true);
      expect(elf.functionSymbols().source).toBe(".dynsym");
      expect(elf.buildId).toBe(buildIdOf(fx.gcc)); // strip keeps the note
    } finally {
      elf.close();
    }
    const ours = ourFunctions(fx.gccStripped);
    expect(ours).toEqual(readelfFunctions(fx.gccStripped, ".dynsym"));
    // -rdynamic exported the methods, but the local lambda invoker is gone with .symtab.
    expect(ours.has("_ZN5Envoy7Network15ListenerManager11addListenerEi")).toBe(true);
    expect([...ours.keys()].some((n) => n.includes("_FUN"))).toBe(false);
  });

  it("reads the .gnu_debuglink name and CRC", () => {
    const debugFile = join(fx.dir, "fixture-gcc.debug");
    const linked = join(fx.dir, "fixture-gcc-linked");
    execFileSync("objcopy", ["--only-keep-debug", fx.gcc, debugFile]);
    execFileSync("objcopy", ["--strip-debug", `--add-gnu-debuglink=${debugFile}`, fx.gcc, linked]);
    const elf = openElf(linked);
    try {
      expect(elf.debugLink?.file).toBe("fixture-gcc.debug");
      // The link's CRC is the CRC-32 of the whole debug file.
      expect(elf.debugLink?.crc32).toBe(crc32(readFileSync(debugFile)));
    } finally {
      elf.close();
    }
    expect(openElf(fx.gcc).debugLink).toBeNull();
  });

  it("reads an AArch64 relocatable object", () => {
    const elf = openElf(fx.aarch64Object);
    try {
      expect(elf.arch).toBe("aarch64");
      expect(elf.header.type).toBe(1);
      const syms = elf.functionSymbols();
      const names = Array.from({ length: syms.count }, (_, i) => syms.name(i)).sort();
      expect(names).toEqual([...readelfFunctions(fx.aarch64Object, ".symtab").keys()].sort());
      expect(names).toContain("add_one");
    } finally {
      elf.close();
    }
  });

  it("reads /usr/bin/node's 80k+ function symbols like readelf", () => {
    const ours = ourFunctions("/usr/bin/node");
    const theirs = readelfFunctions("/usr/bin/node", ".symtab");
    expect(ours.size).toBe(theirs.size);
    expect(ours.size).toBeGreaterThan(50_000);
    for (const [name, addrs] of theirs) expect(ours.get(name), name).toEqual(addrs);
    const elf = openElf("/usr/bin/node");
    expect(elf.buildId).toBe(buildIdOf("/usr/bin/node"));
    elf.close();
  }, 60_000);

  it("gives ELF_OPEN_FAILED for a missing file and a directory", () => {
    expect(() => openElf(join(fx.dir, "nope"))).toThrow(expect.objectContaining({ code: "ELF_OPEN_FAILED" }));
    expect(() => openElf(fx.dir)).toThrow(expect.objectContaining({ code: "ELF_OPEN_FAILED" }));
  });

  it("treats a copy with the same bytes as the same binary", () => {
    const copy = join(fx.dir, "copy-of-gcc");
    copyFileSync(fx.gcc, copy);
    writeFileSync(join(fx.dir, "unused"), "");
    const a = openElf(copy);
    const b = openElf(fx.gcc);
    expect(a.buildId).toBe(b.buildId);
    expect(a.fileIdentity).not.toBe(b.fileIdentity);
    a.close();
    b.close();
  });
});
