// Standard-library detection from the string table, searched a slice at a time.
import { describe, expect, it } from "vitest";
import { FunctionSymbols, type ElfImage } from "../../../compiler/symbols/elf/index.js";
import { detectStdLib } from "../../../compiler/symbols/resolve/stdlib.js";

const SLICE = 256 * 1024;
const noSections = { sections: [] } as unknown as ElfImage;

function tableWith(marks: Array<[number, string]>, size = 3 * SLICE): FunctionSymbols {
  const strtab = Buffer.alloc(size, "x");
  for (const [at, text] of marks) strtab.write(text, at, "latin1");
  return new FunctionSymbols(".symtab", strtab, 0, new Uint32Array(0), new Uint32Array(0), Buffer.alloc(0), 0, "test");
}

describe("detectStdLib", () => {
  it("sees a marker that straddles a slice boundary", () => {
    expect(detectStdLib(noSections, tableWith([[SLICE - 3, "_ZNSt3__14movev"]])).stdlib).toBe("libc++");
    expect(detectStdLib(noSections, tableWith([[2 * SLICE - 5, "_ZNSt7__cxx114listEv"]])).stdlib).toBe("libstdc++");
  });

  it("decides by the first slice holding a marker, libc++ when one slice holds both", () => {
    expect(detectStdLib(noSections, tableWith([[10, "NSt7__cxx11"], [2 * SLICE + 10, "NSt3__1"]])).stdlib).toBe("libstdc++");
    expect(detectStdLib(noSections, tableWith([[10, "NSt7__cxx11"], [100, "NSt3__1"]])).stdlib).toBe("libc++");
  });

  it("falls back to std:: symbols without an inline namespace, then to unknown", () => {
    expect(detectStdLib(noSections, tableWith([[3 * SLICE - 20, "_ZNSt6vectorIiE"]])).evidence).toBe("symbols use std:: without std::__1");
    expect(detectStdLib(noSections, tableWith([])).stdlib).toBe("unknown");
  });
});
