// Which C++ standard library a binary was built against, from its symbols: libc++ puts everything
// in `std::__1` (`NSt3__1`), libstdc++'s new ABI uses `std::__cxx11`, and a dynamically linked
// binary names its library in .dynstr.
import type { ElfImage, FunctionSymbols } from "../elf/index.js";

export type StdLib = "libc++" | "libstdc++" | "unknown";

export interface StdLibFacts {
  stdlib: StdLib;
  /** What gave it away, for messages: `symbols contain NSt3__1`, `links libstdc++.so.6`… */
  evidence: string;
}

export function detectStdLib(elf: ElfImage, symbols: FunctionSymbols): StdLibFacts {
  const t = symbols.strtab;
  if (t.indexOf("St3__1") >= 0) return { stdlib: "libc++", evidence: "symbols contain St3__1 (std::__1)" };
  if (t.indexOf("St7__cxx11") >= 0) return { stdlib: "libstdc++", evidence: "symbols contain St7__cxx11 (std::__cxx11)" };
  const dynstr = elf.sections.find((s) => s.name === ".dynstr");
  if (dynstr !== undefined && dynstr.size < 64 << 20) {
    const data = elf.readSection(dynstr);
    if (data.indexOf("libc++.so") >= 0) return { stdlib: "libc++", evidence: "links libc++.so" };
    if (data.indexOf("libstdc++.so") >= 0) return { stdlib: "libstdc++", evidence: "links libstdc++.so" };
  }
  if (t.indexOf("_ZNSt") >= 0 || t.indexOf("_ZSt") >= 0) return { stdlib: "libstdc++", evidence: "symbols use std:: without std::__1" };
  return { stdlib: "unknown", evidence: "no C++ standard library symbols" };
}
