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
 * How many components a name the pattern matches has, not counting inline namespaces the pattern
 * leaves out: the pattern's length when it is made of names only, null when `**` or `{lambda}` lets
 * it span a varying number.
 */
export function fixedComponentCount(p: ParsedPattern): number | null {
  if (p.mangled !== null || p.path.length === 0) return null;
  return p.path.every((c) => c.kind === "name") ? p.path.length : null;
}

/**
 * False only when the name at `start` in `table` certainly cannot begin with `leading`
 * (allowing inline namespaces between components) or, given `components` (see
 * fixedComponentCount), certainly has more components than that.
 */
export function mayStartWith(table: Buffer, start: number, leading: readonly Buffer[], inline: InlineNamespaces, components: number | null = null): boolean {
  if (leading.length === 0) return true;
  let pos = start;
  // A C name's path is the one name: it has too few components for a longer pattern.
  if (table[pos] !== 95 /* _ */ || table[pos + 1] !== 90 /* Z */) return components === null || components <= 1;
  pos += 2;
  const local = table[pos] === 90; /* Z: local name, the enclosing function comes first */
  if (local) pos++;
  const nested = table[pos] === 78; /* N */
  if (nested) {
    pos++;
    while (isQualifier(table[pos])) pos++;
  }
  // `St` and the other standard abbreviations (`Sa`, `Ss`…) make `std` the first component.
  if (table[pos] === 83 /* S */ && isStdAbbreviation(table[pos + 1])) return inline.mayBeInline([], "std");
  // Start and length of each source name read so far: strings are only made on a mismatch.
  const seen: number[] = [];
  const parentsOf = () => {
    const parents: string[] = [];
    for (let j = 0; j < seen.length; j += 2) parents.push(table.toString("latin1", seen[j], seen[j]! + seen[j + 1]!));
    return parents;
  };
  const mayBeInlineAt = (at: number, len: number) => {
    const name = table.toString("latin1", at, at + len);
    return inline.couldBeInlineName(name) && inline.mayBeInline(parentsOf(), name);
  };
  let k = 0;
  // Components read that are certainly in the path: not possibly skipped as inline namespaces.
  let counted = 0;
  for (;;) {
    if (table[pos] === 76 /* L: internal linkage */) pos++;
    const c = table[pos];
    if (c === undefined || c < DIGIT_0 || c > DIGIT_9) {
      // The enclosing function of a local entity is followed by the entity: at least one more component.
      if (k === leading.length && components !== null && local && nested && c === 69 /* E */ && counted >= components) return false;
      return true;
    }
    let len = 0;
    let digits = 0;
    while (pos < table.length && table[pos]! >= DIGIT_0 && table[pos]! <= DIGIT_9 && digits < 6) {
      len = len * 10 + (table[pos]! - DIGIT_0);
      pos++;
      digits++;
    }
    if (len === 0 || pos + len > table.length) return true;
    if (k < leading.length) {
      const want = leading[k]!;
      if (len === want.length && sameBytes(table, pos, want)) {
        k++;
        counted++;
      } else if (!mayBeInlineAt(pos, len)) {
        return false;
      }
    } else {
      // Past the leading names only the count matters, and only for a nested name: an unscoped
      // name has no further components here.
      if (components === null || !nested) return true;
      if (!mayBeInlineAt(pos, len)) counted++;
      if (counted > components) return false;
    }
    seen.push(pos, len);
    pos += len;
    if (k === leading.length && (components === null || !nested)) return true;
  }
}

/** Byte compare without Buffer.compare's argument checks, which cost more than the compare here. */
function sameBytes(table: Buffer, at: number, want: Buffer): boolean {
  for (let j = 0; j < want.length; j++) if (table[at + j] !== want[j]) return false;
  return true;
}

/** `St` std::, `Sa` std::allocator, `Sb` std::basic_string, `Ss` std::string, `Si`/`So`/`Sd` the streams. */
function isStdAbbreviation(c: number | undefined): boolean {
  return c === 116 || c === 97 || c === 98 || c === 115 || c === 105 || c === 111 || c === 100;
}

function isQualifier(c: number | undefined): boolean {
  // r (restrict), V (volatile), K (const), R and O (ref-qualifiers), H (explicit object parameter)
  return c === 114 || c === 86 || c === 75 || c === 82 || c === 79 || c === 72;
}
