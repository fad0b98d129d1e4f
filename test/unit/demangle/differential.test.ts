// Differential tests against GNU c++filt on real binaries: every `_Z` name of node's .symtab and of
// Debian's libLLVM-14 and libgrpc .dynsym, demangled by both, compared line by line (≥ 99.9 %).
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { demangle } from "../../../compiler/symbols/demangle/index.js";
import { filterText } from "../../../compiler/symbols/demangle/filter.js";
import { agreement, cxxfilt, fileExists, haveTool, mangledNamesOf, missingInput, report } from "./support.js";

const LIBDIR = "/usr/lib/x86_64-linux-gnu";

function grpcLibraries(): string[] {
  if (!fileExists(LIBDIR)) return [];
  return readdirSync(LIBDIR)
    .filter((f) => /grpc/i.test(f) && /\.so\.\d+\.\d+\.\d+$/.test(f))
    .map((f) => path.join(LIBDIR, f));
}

const targets: { label: string; files: () => string[]; dynamic: boolean }[] = [
  { label: "/usr/bin/node .symtab", files: () => (fileExists("/usr/bin/node") ? ["/usr/bin/node"] : []), dynamic: false },
  {
    label: "libLLVM-14 .dynsym",
    files: () => (fileExists(`${LIBDIR}/libLLVM-14.so.1`) ? [`${LIBDIR}/libLLVM-14.so.1`] : []),
    dynamic: true,
  },
  { label: "libgrpc* .dynsym", files: grpcLibraries, dynamic: true },
];

const tools = haveTool("nm") && haveTool("c++filt");

describe("agreement with c++filt on real binaries", () => {
  for (const t of targets) {
    const files = t.files();
    const skip = missingInput(`${t.label} (or nm/c++filt)`, tools && files.length > 0);
    it.skipIf(skip !== null)(`${t.label}: ≥ 99.9 % of _Z names print identically${skip ? ` — skipped: ${skip}` : ""}`, () => {
      const names = [...new Set(files.flatMap((f) => mangledNamesOf(f, t.dynamic)))].sort();
      expect(names.length).toBeGreaterThan(1000);
      const expected = cxxfilt(names);
      // Names go through the same word filter c++filt applies to stdin (versioned names like
      // `_Z…@@GLIBCXX_3.4` demangle up to the `@`).
      const a = agreement(names, expected, (n) => filterText(n, demangle));
      report(t.label, a);
      expect(a.rate).toBeGreaterThanOrEqual(0.999);
    });
  }
});
