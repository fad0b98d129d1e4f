// A second, structural prefilter on the raw mangled bytes: the leading name components of a
// pattern (`v8::internal::Heap` in `v8::internal::Heap::*`) must be the first source names of the
// mangled name, in order, with only inline namespaces between them. Nothing can precede the first
// components of a name in its mangling (substitutions only point back), so this is exact where it
// decides; wherever the mangling takes a form it does not read (templates, ABI tags, `St`,
// ctor/dtor names, special names), it says "maybe" and leaves the decision to the demangler.
import type { InlineNamespaces } from "./inline-namespaces.js";
import type { ParsedPattern } from "./pattern-ast.js";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** The literal names a pattern's path starts with, up to the first wildcard, operator, lambda…. */
export function leadingNames(p: ParsedPattern): string[] {
  const names: string[] = [];
  for (const c of p.path) {
    if (c.kind !== "name" || c.isOperator || !IDENT.test(c.text)) break;
    names.push(c.text);
    if (c.templateArgs !== null) break;
  }
  // `std` is mangled as `St`, never as a source name: leave std patterns to the demangler.
  return names[0] === "std" ? [] : names;
}

/**
 * False only when the name at `start` in `table` certainly cannot begin with `leading`
 * (allowing inline namespaces between components).
 */
export function mayStartWith(table: Buffer, start: number, leading: readonly Buffer[], inline: InlineNamespaces): boolean {
  if (leading.length === 0) return true;
  let pos = start;
  if (table[pos] !== 95 /* _ */ || table[pos + 1] !== 90 /* Z */) return true; // a C name
  pos += 2;
  if (table[pos] === 90 /* Z: local name, the enclosing function comes first */) pos++;
  if (table[pos] === 78 /* N */) {
    pos++;
    while (isQualifier(table[pos])) pos++;
  }
  // Start and length of each source name read so far: strings are only made on a mismatch.
  const seen: number[] = [];
  let k = 0;
  while (k < leading.length) {
    if (table[pos] === 76 /* L: internal linkage */) pos++;
    const c = table[pos];
    if (c === undefined || c < DIGIT_0 || c > DIGIT_9) return true;
    let len = 0;
    let digits = 0;
    while (pos < table.length && table[pos]! >= DIGIT_0 && table[pos]! <= DIGIT_9 && digits < 6) {
      len = len * 10 + (table[pos]! - DIGIT_0);
      pos++;
      digits++;
    }
    if (len === 0 || pos + len > table.length) return true;
    const want = leading[k]!;
    if (len === want.length && table.compare(want, 0, want.length, pos, pos + len) === 0) {
      k++;
    } else {
      const parents: string[] = [];
      for (let j = 0; j < seen.length; j += 2) parents.push(table.toString("latin1", seen[j], seen[j]! + seen[j + 1]!));
      if (!inline.mayBeInline(parents, table.toString("latin1", pos, pos + len))) return false;
    }
    seen.push(pos, len);
    pos += len;
  }
  return true;
}

function isQualifier(c: number | undefined): boolean {
  // r (restrict), V (volatile), K (const), R and O (ref-qualifiers), H (explicit object parameter)
  return c === 114 || c === 86 || c === 75 || c === 82 || c === 79 || c === 72;
}
