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

/**
 * Either library marks thousands of symbols, so the table is searched a slice at a time for both
 * markers and the first slice holding one decides (libc++ if it holds both): proving a marker
 * absent costs a pass over the whole table (~3 ms for node's 7.5 MB), paid only when neither shows.
 */
const SLICE_BYTES = 256 * 1024;
const LIBCXX_MARK = Buffer.from("St3__1");
const LIBSTDCXX_MARK = Buffer.from("St7__cxx11");

export function detectStdLib(elf: ElfImage, symbols: FunctionSymbols): StdLibFacts {
  const t = symbols.strtab;
  // Slices overlap by a marker's length so a marker across a boundary is still seen.
  for (let start = 0; start < t.length; start += SLICE_BYTES) {
    const slice = t.subarray(start, start + SLICE_BYTES + LIBSTDCXX_MARK.length - 1);
    if (slice.indexOf(LIBCXX_MARK) >= 0) return { stdlib: "libc++", evidence: "symbols contain St3__1 (std::__1)" };
    if (slice.indexOf(LIBSTDCXX_MARK) >= 0) return { stdlib: "libstdc++", evidence: "symbols contain St7__cxx11 (std::__cxx11)" };
  }
  const dynstr = elf.sections.find((s) => s.name === ".dynstr");
  if (dynstr !== undefined && dynstr.size < 64 << 20) {
    const data = elf.readSection(dynstr);
    if (data.indexOf("libc++.so") >= 0) return { stdlib: "libc++", evidence: "links libc++.so" };
    if (data.indexOf("libstdc++.so") >= 0) return { stdlib: "libstdc++", evidence: "links libstdc++.so" };
  }
  if (t.indexOf("_ZNSt") >= 0 || t.indexOf("_ZSt") >= 0) return { stdlib: "libstdc++", evidence: "symbols use std:: without std::__1" };
  return { stdlib: "unknown", evidence: "no C++ standard library symbols" };
}
