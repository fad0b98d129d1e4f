// The identifiers a symbol's mangled bytes must contain for the pattern to possibly match it.
// Soundness rule: a needle may be dropped whenever in doubt, never required wrongly. Names of the
// path always appear spelled out as `<len><id>` the first time (substitutions only point back),
// except `std` (`St`), the standard abbreviations (`Sa`, `Sb`, `Ss`, `Si`, `So`, `Sd`), ctor and
// dtor names (`C1`, `D2`), operators (`ls`), lambdas and parameter types (typedefs, aliases).
import type { ParsedPattern } from "./pattern-ast.js";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const STD_ABBREVIATED = new Set([
  "std", "allocator", "basic_string", "string", "char_traits", "basic_istream", "basic_ostream",
  "basic_iostream", "istream", "ostream", "iostream",
]);

export interface Needles {
  /** Byte strings that must all occur in the symbol's name. */
  required: Buffer[];
}

/** True when the pattern can match a plain C symbol (one name, no `::`): then needles are bare. */
export function couldMatchCName(p: ParsedPattern): boolean {
  if (p.mangled !== null) return false;
  const named = p.path.filter((c) => c.kind !== "any-depth");
  return named.length === 1 && named[0]!.kind === "name";
}

export function needlesOf(p: ParsedPattern): Needles {
  if (p.mangled !== null) return { required: [Buffer.from(p.mangled, "utf8")] };
  const bare = couldMatchCName(p);
  const seen = new Set<string>();
  let previous: string | null = null;
  for (const c of p.path) {
    const current = c.kind === "name" ? c.text : null;
    if (c.kind === "name" && !c.isOperator && !c.text.startsWith("~") && c.text !== previous && !STD_ABBREVIATED.has(c.text)) {
      if (IDENT.test(c.text)) {
        seen.add(bare ? c.text : `${Buffer.byteLength(c.text, "utf8")}${c.text}`);
      } else if (c.text.includes("*")) {
        // A glob: its longest literal run still has to appear somewhere.
        const longest = c.text.split("*").reduce((a, b) => (b.length > a.length ? b : a), "");
        if (longest.length >= 2 && /^[A-Za-z0-9_$]+$/.test(longest)) seen.add(longest);
      }
    }
    previous = current;
  }
  return { required: [...seen].map((s) => Buffer.from(s, "utf8")) };
}
