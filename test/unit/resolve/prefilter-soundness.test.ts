// The prefilter may only drop symbols that cannot match: resolving through it must give exactly
// what demangling and matching every function symbol gives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePattern, InlineNamespaces } from "../../../compiler/symbols/pattern/index.js";
import { openBinary, resolvePatterns, type SymbolBinary } from "../../../compiler/symbols/resolve/index.js";
import { matchSymbols, ViewCache } from "../../../compiler/symbols/resolve/match-symbols.js";
import { prefilterSymbols } from "../../../compiler/symbols/resolve/prefilter.js";
import { viewOfSymbol } from "../../../compiler/symbols/resolve/symbol-view.js";
import { fixtureBinaries, removeFixtureBinaries } from "../elf/fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

const NODE_PATTERNS = [
  "v8::internal::Heap::*",
  "v8::internal::Heap::Heap",
  "v8::internal::Heap::~Heap",
  "v8::**::Scavenge*",
  "v8::internal::**::Visit*",
  "node::**::New",
  "node::**::{lambda}",
  "v8_inspector::**::{lambda}",
  "v8_inspector::**::*::{lambda}::_FUN",
  "**::{lambda}::operator()",
  "std::vector::_M_realloc_insert",
  "std::basic_string::_M_construct",
  "std::**::operator()",
  "std::*",
  "**::operator<<",
  "**::*Allocator*::*",
  "uv_*",
  "*alloc*",
  "**::New(v8::Isolate*)",
  "node::**::*(const std::string&)",
  "v8::**::*(unsigned int)",
  "**::_FUN", // nothing: `**` does not reach into local scopes
  "(anonymous namespace)::**",
  "node::(anonymous namespace)::*",
  "main",
];

const FIXTURE_PATTERNS = [
  "Envoy::**",
  "**::{lambda}",
  "Envoy::Event::FileEventImpl::FileEventImpl",
  "Envoy::Network::TcpListenerImpl::setName(std::string_view)",
  "std::**",
  "*",
  "main",
  "Envoy::*",
];

// Names, not sets: two local symbols may share a name at different addresses, and both count.
function bruteForce(binary: SymbolBinary, pattern: string, inline: InlineNamespaces, allViews: (ReturnType<typeof viewOfSymbol>)[]): string[] {
  const compiled = compilePattern(pattern, { inline });
  const symbols = binary.symbols();
  const found: string[] = [];
  for (let i = 0; i < symbols.count; i++) {
    const v = allViews[i];
    if (v !== null && v !== undefined && compiled.matches(v, symbols.name(i))) found.push(symbols.name(i));
  }
  return found;
}

function viaPrefilter(binary: SymbolBinary, pattern: string, inline: InlineNamespaces, views: ViewCache): string[] {
  const compiled = compilePattern(pattern, { inline });
  return matchSymbols(binary, compiled, views).flatMap((m) => [m.mangled, ...m.aliases]);
}

function check(path: string, patterns: string[], inlineNs: string[] = []) {
  const binary = openBinary(path);
  try {
    const inline = new InlineNamespaces(inlineNs);
    const symbols = binary.symbols();
    const allViews = Array.from({ length: symbols.count }, (_, i) => viewOfSymbol(symbols.name(i)));
    const views = new ViewCache(binary);
    // All patterns at once go through the shared pass over the string table (node's is 7.5 MB).
    const together = resolvePatterns(binary, patterns, { cache: false, limit: 1e9, inlineNamespaces: inlineNs });
    let total = 0;
    patterns.forEach((p, k) => {
      const expected = bruteForce(binary, p, inline, allViews).sort();
      const got = viaPrefilter(binary, p, inline, views);
      expect(got.sort(), p).toEqual(expected);
      const shared = together.patterns[k]!.matches.flatMap((m) => [m.mangled, ...m.aliases]).sort();
      expect(shared, `${p} (shared pass)`).toEqual(expected);
      total += expected.length;
    });
    expect(total).toBeGreaterThan(0);
  } finally {
    binary.close();
  }
}

describe("prefilter soundness", () => {
  beforeAll(() => void fixtureBinaries(), 120_000);

  it("loses no match on /usr/bin/node", () => check("/usr/bin/node", NODE_PATTERNS), 120_000);

  it("loses no match on the gcc and clang fixtures", () => {
    const fx = fixtureBinaries();
    check(fx.gcc, FIXTURE_PATTERNS);
    check(fx.clang, FIXTURE_PATTERNS);
    check(fx.gcc, ["Envoy::Network::TcpListenerImpl::*"], ["Envoy::Network::v2"]);
  });

  it("actually discards most symbols before demangling", () => {
    const binary = openBinary("/usr/bin/node");
    try {
      const symbols = binary.symbols();
      const p = compilePattern("v8::internal::Heap::*");
      const candidates = prefilterSymbols(symbols, p.needles.required);
      expect(candidates.length).toBeGreaterThan(100);
      expect(candidates.length).toBeLessThan(symbols.count / 10);
      // Every candidate really contains the needles.
      for (const i of candidates) for (const n of p.needles.required) expect(symbols.name(i)).toContain(n.toString());
    } finally {
      binary.close();
    }
  });
});
