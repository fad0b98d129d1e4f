// RealSymbolSource on a small C++ binary compiled here: alternatives, optional points, no match
// with candidates, too many matches, a bad pattern, and files that are not usable binaries — each a
// diagnostic at the probe's place, never a throw.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { AbiBinary } from "../../../compiler/abi/index.js";
import type { UprobeTarget } from "../../../compiler/ir/program.js";
import { RealSymbolSource } from "../../../compiler/pipeline/real-symbol-source.js";

const loc = { file: "/src/t.probe.ts", line: 7, column: 1 };
let bin: string;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "probec-rss-"));
  const src = join(dir, "t.cc");
  const fns = Array.from({ length: 40 }, (_, i) => `void Many::f${i}(int x) { sink += x + ${i}; }`).join("\n");
  writeFileSync(
    src,
    `#include <string_view>
volatile long sink;
namespace Shop { struct Cart { void add(std::string_view item) __attribute__((noinline)); void clear() __attribute__((noinline)); Cart(); ~Cart(); }; }
void Shop::Cart::add(std::string_view item) { sink += item.size(); }
void Shop::Cart::clear() { sink = 0; }
Shop::Cart::Cart() { sink = 1; }
Shop::Cart::~Cart() { sink = 2; }
namespace Many { ${Array.from({ length: 40 }, (_, i) => `void f${i}(int x);`).join(" ")} }
${fns}
int main() { Shop::Cart c; c.add("x"); c.clear(); Many::f0(1); return 0; }
`,
  );
  bin = join(dir, "t");
  execFileSync("g++", ["-O1", "-std=c++17", "-o", bin, src]);
});

function open(source: RealSymbolSource): AbiBinary {
  const b = source.openBinary("shop", bin, loc);
  if ("code" in b) throw new Error(b.message);
  return b;
}

const point = (patterns: string[], extra: Partial<UprobeTarget> = {}): UprobeTarget => ({ binary: "shop", patterns, select: "first", optional: false, ...extra });

describe("RealSymbolSource", () => {
  test("opens a binary: arch, build-id, the string_view kind", () => {
    const s = new RealSymbolSource({ cache: false });
    const b = open(s);
    expect(b).toMatchObject({ name: "shop", path: bin, arch: "x86_64" });
    // This tiny program may not link libstdc++ at all; the resolver says what the symbols show.
    expect(["libstdc++", "unknown"]).toContain(b.stdlib);
    expect(b.buildId).toMatch(/^[0-9a-f]+$/);
    expect(b.abslStringView).toBe("alias"); // no absl here
    s.close();
  });

  test("the first alternative that resolves is taken; its index is recorded", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::remove", "Shop::Cart::add"]), loc);
    expect(r.diagnostics).toEqual([]);
    expect(r.alternativeTaken).toBe(1);
    expect(r.symbols.map((x) => x.demangled)).toEqual(["Shop::Cart::add(std::basic_string_view<char, std::char_traits<char> >)"]);
    expect(r.symbols[0].params).toEqual(["std::basic_string_view<char, std::char_traits<char> >"]);
    s.close();
  });

  test("constructors' C1/C2 are found (the backend merges those at one address)", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::Cart"]), loc);
    expect(r.diagnostics).toEqual([]);
    expect(r.symbols.length).toBeGreaterThanOrEqual(1);
    s.close();
  });

  test("no match: an error at the probe naming the nearest candidates", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::ad"]), loc);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 9302, category: "error", loc });
    expect(r.diagnostics[0].notes?.join("\n")).toContain("Shop::Cart::add");
    s.close();
  });

  test("no alternative resolves", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::x", "Shop::Cart::y"]), loc);
    expect(r.diagnostics[0]).toMatchObject({ code: 9305, loc });
    s.close();
  });

  test("an optional point that resolves to nothing is skipped without an error", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::x"], { optional: true }), loc);
    expect(r.diagnostics).toEqual([]);
    expect(r.skipped).toContain("Shop::Cart::x");
    s.close();
  });

  test("more matches than the limit is an error before bpftrace sees anything", () => {
    const s = new RealSymbolSource({ cache: false, limit: 16 });
    const r = s.resolvePoint(open(s), point(["Many::*"]), loc);
    expect(r.diagnostics[0]).toMatchObject({ code: 9303, loc });
    expect(r.diagnostics[0].notes?.[0]).toContain("'Many::*' alone matches 40 functions");
    s.close();
  });

  test("a malformed pattern", () => {
    const s = new RealSymbolSource({ cache: false });
    const r = s.resolvePoint(open(s), point(["Shop::Cart::add("]), loc);
    expect(r.diagnostics[0]).toMatchObject({ code: 9306, loc });
    s.close();
  });

  test("files that are not usable binaries", () => {
    const s = new RealSymbolSource({ cache: false });
    const text = join(dir, "notes.txt");
    writeFileSync(text, "hello, not an ELF file\n");
    expect(s.openBinary("shop", join(dir, "missing"), loc)).toMatchObject({ code: 9611, loc });
    expect(s.openBinary("shop", dir, loc)).toMatchObject({ code: 9611 });
    const notElf = s.openBinary("shop", text, loc);
    expect(notElf).toMatchObject({ code: 9611 });
    expect("message" in notElf && notElf.message).toMatch(/offset 0x0/);
    s.close();
  });
});
