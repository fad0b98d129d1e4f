// A parser for C++ types as c++filt prints them in parameter lists ("unsigned int*",
// "std::__1::basic_string_view<char, std::__1::char_traits<char> >", "void (*)(int, short, void*)").
// It only needs enough structure for the ABI: builtins, pointers, references, cv-qualifiers,
// qualified names with template arguments, and function / member pointers. Template arguments are
// parsed lazily (kept as text) because the ABI looks only at the first one or two.

export interface NameSegment {
  /** The component without template arguments, e.g. `basic_string_view`, `(anonymous namespace)`. */
  name: string;
  /** Top-level template arguments as printed, or null when the component has none. */
  templateArgs: string[] | null;
}

export type CType =
  | { kind: "builtin"; name: string; isConst: boolean }
  | { kind: "named"; segments: NameSegment[]; isConst: boolean }
  | { kind: "pointer"; pointee: CType; isConst: boolean }
  | { kind: "reference"; referee: CType; rvalue: boolean }
  /** `R (*)(A…)`: an ordinary pointer to a function. */
  | { kind: "functionPointer"; isConst: boolean }
  /** `R (C::*)(A…)`: a pointer to member function, two words in the Itanium ABI. */
  | { kind: "memberFunctionPointer"; isConst: boolean }
  /** `T C::*`: a pointer to data member, one word (an offset). */
  | { kind: "memberDataPointer"; isConst: boolean }
  /** `R (A…)`: a function type (only inside template arguments). */
  | { kind: "function" }
  /** `...` in a variadic parameter list. */
  | { kind: "variadic" };

export class CTypeParseError extends Error {}

const BUILTIN_WORDS = new Set([
  "void", "bool", "char", "wchar_t", "char8_t", "char16_t", "char32_t",
  "short", "int", "long", "signed", "unsigned", "float", "double",
  "__int128", "__float128", "_Float16", "__bf16",
]);

/** Splits `text` at top level (outside <>, (), [], {}) wherever `sep` occurs. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(" || c === "[" || c === "{") depth++;
    else if (c === ">" || c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      i += sep.length - 1;
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Index of the bracket closing the one opened at `open`, or -1. */
function matchClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(" || c === "[" || c === "{") depth++;
    else if (c === ">" || c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Top-level `(` positions (depth 0 before the paren). */
function topLevelParens(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" && depth === 0) out.push(i);
    if (c === "<" || c === "(" || c === "[" || c === "{") depth++;
    else if (c === ">" || c === ")" || c === "]" || c === "}") depth--;
  }
  return out;
}

function withConst(t: CType): CType {
  if (t.kind === "reference" || t.kind === "function" || t.kind === "variadic") return t;
  return { ...t, isConst: true };
}

/** Recognises function types and pointers to them; null for anything else. */
function functionShape(text: string): CType | null {
  const parens = topLevelParens(text).filter((p) => !text.startsWith("(anonymous namespace)", p));
  if (parens.length === 0 || parens[0] === 0) return null;
  const first = parens[0];
  const firstClose = matchClose(text, first);
  if (firstClose < 0) return null;
  const last = parens[parens.length - 1];
  const lastClose = matchClose(text, last);
  // After the parameter list only cv/ref qualifiers and noexcept may follow.
  if (lastClose < 0 || !/^(\s*(const|volatile|&&|&|noexcept))*$/.test(text.slice(lastClose + 1))) return null;
  if (parens.length === 1) return { kind: "function" };
  const declarator = text.slice(first + 1, firstClose).trim();
  if (declarator.endsWith("::*")) return { kind: "memberFunctionPointer", isConst: false };
  if (declarator.startsWith("*")) return { kind: "functionPointer", isConst: false };
  if (declarator === "&" || declarator === "&&") return { kind: "reference", referee: { kind: "function" }, rvalue: declarator === "&&" };
  return null;
}

/** Parses one printed C++ type. Throws CTypeParseError on text it cannot understand. */
export function parseCType(input: string): CType {
  const text = input.trim();
  if (text === "") throw new CTypeParseError("empty type");
  if (text === "...") return { kind: "variadic" };
  if (text === "decltype(nullptr)" || text === "std::nullptr_t") return { kind: "builtin", name: "decltype(nullptr)", isConst: false };

  // Function types come first, because their trailing qualifiers (`void (C::*)(int) const &`)
  // belong to the function, not to the type: `R (*)(A…)`, `R (&)(A…)`, `R (C::*)(A…)`, `R (A…)`.
  const fn = functionShape(text);
  if (fn) return fn;

  // Declarator suffixes, outermost last: `char const*`, `Foo&`, `Foo* const`, `Bar&&`.
  if (text.endsWith("&&")) return { kind: "reference", referee: parseCType(text.slice(0, -2)), rvalue: true };
  if (text.endsWith("&")) return { kind: "reference", referee: parseCType(text.slice(0, -1)), rvalue: false };
  if (text.endsWith("*") && !text.endsWith("::*")) return { kind: "pointer", pointee: parseCType(text.slice(0, -1)), isConst: false };
  for (const q of [" const", " volatile", " restrict", " __restrict"]) {
    if (text.endsWith(q)) {
      const inner = parseCType(text.slice(0, -q.length));
      return q === " const" ? withConst(inner) : inner;
    }
  }
  if (text.startsWith("const ")) return withConst(parseCType(text.slice(6)));
  if (text.endsWith("]")) {
    // An array (only as a template argument; parameters decay): treat as a pointer to its element.
    const open = text.lastIndexOf("[");
    if (open > 0) return { kind: "pointer", pointee: parseCType(text.slice(0, open)), isConst: false };
  }

  // Member data pointer `T C::*`.
  if (text.endsWith("::*")) return { kind: "memberDataPointer", isConst: false };

  const words = text.split(/\s+/);
  if (words.every((w) => BUILTIN_WORDS.has(w))) return { kind: "builtin", name: words.join(" "), isConst: false };

  return { kind: "named", segments: parseQualifiedName(text), isConst: false };
}

/** Splits `a::b<c, d>::e` into segments with their top-level template arguments. */
export function parseQualifiedName(text: string): NameSegment[] {
  const parts = splitTopLevel(text, "::");
  return parts.map((raw) => {
    const part = raw.trim();
    if (part === "") throw new CTypeParseError(`empty name component in '${text}'`);
    const lt = part.startsWith("(") || part.startsWith("{") ? -1 : part.indexOf("<");
    if (lt <= 0 || !part.endsWith(">")) {
      // Plain names, `(anonymous namespace)`, `{lambda(int)#1}`, and the enclosing function of a
      // local type (`f(int)` in `f(int)::{lambda()#1}`) are kept whole; brackets must balance.
      if (!balanced(part) || (/[<>]/.test(part) && !/[({]/.test(part))) {
        throw new CTypeParseError(`cannot parse name component '${part}' in '${text}'`);
      }
      return { name: part, templateArgs: null };
    }
    const close = matchClose(part, lt);
    if (close !== part.length - 1) throw new CTypeParseError(`unbalanced template arguments in '${text}'`);
    const inner = part.slice(lt + 1, close).trim();
    const templateArgs = inner === "" ? [] : splitTopLevel(inner, ",").map((a) => a.trim());
    return { name: part.slice(0, lt), templateArgs };
  });
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === "<" || c === "(" || c === "[" || c === "{") depth++;
    else if (c === ">" || c === ")" || c === "]" || c === "}") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** Prints a CType back in c++filt style (for messages; not byte-identical for every input). */
export function printCType(t: CType): string {
  switch (t.kind) {
    case "builtin":
      return t.name + (t.isConst ? " const" : "");
    case "named":
      return (
        t.segments.map((s) => (s.templateArgs ? `${s.name}<${s.templateArgs.join(", ")}${s.templateArgs.at(-1)?.endsWith(">") ? " " : ""}>` : s.name)).join("::") +
        (t.isConst ? " const" : "")
      );
    case "pointer":
      return printCType(t.pointee) + "*" + (t.isConst ? " const" : "");
    case "reference":
      return printCType(t.referee) + (t.rvalue ? "&&" : "&");
    case "functionPointer":
      return "(function pointer)";
    case "memberFunctionPointer":
      return "(pointer to member function)";
    case "memberDataPointer":
      return "(pointer to data member)";
    case "function":
      return "(function)";
    case "variadic":
      return "...";
  }
}
