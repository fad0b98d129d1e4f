// Near misses for a pattern that matched nothing: other overloads, other methods of the same class,
// the same method in another class, then names that start like the one asked for.
import type { InlineNamespaces } from "../pattern/index.js";
import { SymbolPattern, type ComponentPattern, type ParsedPattern } from "../pattern/index.js";
import type { SymbolBinary } from "./binary.js";
import { prefilterSymbols } from "./prefilter.js";
import type { ViewCache } from "./match-symbols.js";

const MAX_SHOWN = 5;
const MAX_EXAMINED = 20_000;

export function nearestCandidates(binary: SymbolBinary, parsed: ParsedPattern, inline: InlineNamespaces, views: ViewCache): string[] {
  if (parsed.mangled !== null) return [];
  const last = parsed.path[parsed.path.length - 1]!;
  const lastName = last.kind === "name" ? last.text : "";
  const tiers: ParsedPattern[] = [];
  // 1. The same name with any parameters: the overloads that exist.
  if (parsed.params !== null || parsed.qualifiers !== null) tiers.push({ ...parsed, params: null, qualifiers: null });
  // 2. Anything in the same scope: other methods of the class.
  if (parsed.path.length > 1 && last.kind !== "lambda") tiers.push(withLast(parsed, { kind: "name", text: "*", templateArgs: null, isOperator: false, column: 0 }));
  // 2b. For `…::{lambda}`: whatever the lambdas there contain (operator(), a missing invoker).
  if (last.kind === "lambda") tiers.push({ ...parsed, params: null, qualifiers: null, path: [...parsed.path, { kind: "name", text: "*", templateArgs: null, isOperator: false, column: 0 }] });
  // 3. The same last name in any scope.
  if (last.kind === "name") tiers.push({ ...parsed, params: null, qualifiers: null, path: [{ kind: "any-depth", column: 0 }, last] });
  // 4. Names starting like the last component, in shrinking prefixes.
  if (/^[A-Za-z_]\w{3,}$/.test(lastName)) {
    for (let n = lastName.length - 1; n >= 4; n = Math.min(n - 1, Math.floor(n * 0.75))) {
      tiers.push({ ...parsed, params: null, qualifiers: null, path: [{ kind: "any-depth", column: 0 }, { kind: "name", text: `${lastName.slice(0, n)}*`, templateArgs: null, isOperator: false, column: 0 }] });
    }
  }
  const symbols = binary.symbols();
  for (const tier of tiers) {
    const relaxed = new SymbolPattern(tier, { inline });
    const found = new Set<string>();
    let examined = 0;
    for (const i of prefilterSymbols(symbols, relaxed.needles.required)) {
      if (++examined > MAX_EXAMINED) break;
      const view = views.get(i);
      if (view !== null && relaxed.matchesName(view)) found.add(view.demangled);
    }
    if (found.size > 0) return rank([...found], parsed.text).slice(0, MAX_SHOWN);
  }
  return [];
}

function withLast(p: ParsedPattern, last: ComponentPattern): ParsedPattern {
  return { ...p, params: null, qualifiers: null, path: [...p.path.slice(0, -1), last] };
}

/** Closest first, by edit distance between the pattern and the name without its parameters. */
function rank(names: string[], pattern: string): string[] {
  const key = (s: string) => {
    const paren = s.indexOf("(");
    return paren > 0 ? s.slice(0, paren) : s;
  };
  const want = key(pattern);
  return names
    .map((n) => ({ n, d: editDistance(key(n), want) }))
    .sort((a, b) => a.d - b.d || a.n.length - b.n.length || (a.n < b.n ? -1 : 1))
    .map((x) => x.n);
}

export function editDistance(a: string, b: string): number {
  if (a.length > 300 || b.length > 300) return Math.abs(a.length - b.length) + 300;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
