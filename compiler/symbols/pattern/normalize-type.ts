// Parameter types are compared after normalising both the pattern's text and the demangler's:
// spacing, inline namespaces, `const T` vs `T const`, the std::string family and the fixed-width
// integer typedefs of LP64 Linux (x86-64 and AArch64 alike), which mangled names never mention.
import type { InlineNamespaces } from "./inline-namespaces.js";

const WORD = /^[A-Za-z_$0-9]/;
const BUILTIN_WORDS = new Set([
  "unsigned", "signed", "short", "long", "int", "char", "double", "float", "bool", "void", "wchar_t",
  "char8_t", "char16_t", "char32_t", "__int128", "decltype", "auto",
]);

/** Typedefs of LP64 Linux as c++filt spells the types they stand for. */
const TYPEDEFS: Record<string, string> = {
  unsigned: "unsigned int",
  size_t: "unsigned long",
  ssize_t: "long",
  ptrdiff_t: "long",
  intptr_t: "long",
  uintptr_t: "unsigned long",
  int8_t: "signed char",
  uint8_t: "unsigned char",
  int16_t: "short",
  uint16_t: "unsigned short",
  int32_t: "int",
  uint32_t: "unsigned int",
  int64_t: "long",
  uint64_t: "unsigned long",
  "long int": "long",
  "short int": "short",
  "long long int": "long long",
  "unsigned long int": "unsigned long",
  "unsigned short int": "unsigned short",
  "long unsigned int": "unsigned long",
  "short unsigned int": "unsigned short",
  "signed int": "int",
};

/** Spellings of the same std types, after spacing and inline namespaces are normalised. */
const STD_ALIASES: Array<[string, string]> = [
  ["std::basic_string<char,std::char_traits<char>,std::allocator<char>>", "std::string"],
  ["std::basic_string_view<char,std::char_traits<char>>", "std::string_view"],
  ["std::basic_ostream<char,std::char_traits<char>>", "std::ostream"],
  ["std::basic_istream<char,std::char_traits<char>>", "std::istream"],
];

function tokenize(text: string): string[] {
  return text.match(/[A-Za-z_$][A-Za-z0-9_$]*|\d+|::|\.\.\.|&&|\S/g) ?? [];
}

export function normalizeType(text: string, inline: InlineNamespaces): string {
  let tokens = tokenize(text);
  tokens = dropInlineNamespaces(tokens, inline);
  tokens = applyTypedefs(tokens);
  tokens = moveLeadingCv(tokens);
  let out = join(tokens);
  let aliased = out;
  for (const [long, short] of STD_ALIASES) aliased = aliased.split(long).join(` ${short} `);
  // An alias may now sit next to a word (`std::string const`): space it the same way again.
  if (aliased !== out) out = join(tokenize(aliased));
  return out;
}

/** One space between two words, none around punctuation. */
function join(tokens: string[]): string {
  let out = "";
  let prev = "";
  for (const t of tokens) {
    if (prev !== "" && WORD.test(prev) && WORD.test(t)) out += " ";
    out += t;
    prev = t;
  }
  return out;
}

function dropInlineNamespaces(tokens: string[], inline: InlineNamespaces): string[] {
  return splitInlineNamespaces(tokens, inline).kept;
}

/**
 * The inline namespaces written in a type, each with the namespaces it sits in: `std::__1` for
 * `std::__1::shared_ptr<int>`. A pattern that writes one asks for it: `std::__1::string` is
 * libc++'s string only, where `std::string` is either library's.
 */
export function writtenInlineNamespaces(text: string, inline: InlineNamespaces): string[] {
  return splitInlineNamespaces(tokenize(text), inline).dropped;
}

/** Do the inline namespaces of `symbolType` include every one `patternInline` lists (as often)? */
export function hasInlineNamespaces(symbolType: string, patternInline: readonly string[], inline: InlineNamespaces): boolean {
  if (patternInline.length === 0) return true;
  const available = writtenInlineNamespaces(symbolType, inline);
  for (const q of patternInline) {
    const at = available.indexOf(q);
    if (at < 0) return false;
    available.splice(at, 1);
  }
  return true;
}

function splitInlineNamespaces(tokens: string[], inline: InlineNamespaces): { kept: string[]; dropped: string[] } {
  const out: string[] = [];
  const dropped: string[] = [];
  let chain: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t === "::") {
      out.push(t);
      continue;
    }
    const qualifies = tokens[k + 1] === "::";
    if (/^[A-Za-z_$]/.test(t) && qualifies) {
      const afterScope = out.length > 0 && out[out.length - 1] === "::";
      if (afterScope && inline.isInline(chain, t)) {
        dropped.push([...chain, t].join("::"));
        k++; // skip the name and its `::`
        continue;
      }
      chain.push(t);
      out.push(t);
      continue;
    }
    chain = [];
    out.push(t);
  }
  return { kept: out, dropped };
}

function applyTypedefs(tokens: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    // Multi-word builtin spellings first: `long unsigned int` → `unsigned long`.
    if (BUILTIN_WORDS.has(t)) {
      let end = k;
      while (end + 1 < tokens.length && BUILTIN_WORDS.has(tokens[end + 1]!)) end++;
      const phrase = tokens.slice(k, end + 1).join(" ");
      const mapped = TYPEDEFS[phrase];
      out.push(...(mapped !== undefined && phrase.includes(" ") ? mapped.split(" ") : phrase === "unsigned" ? ["unsigned", "int"] : tokens.slice(k, end + 1)));
      k = end;
      continue;
    }
    const qualified = tokens[k - 1] === "::" || tokens[k + 1] === "::";
    const stdQualified = tokens[k - 1] === "::" && tokens[k - 2] === "std" && tokens[k - 3] !== "::";
    const mapped = Object.hasOwn(TYPEDEFS, t) ? TYPEDEFS[t] : undefined;
    if (mapped !== undefined && (!qualified || stdQualified)) {
      if (stdQualified) out.splice(out.length - 2, 2);
      out.push(...mapped.split(" "));
      continue;
    }
    out.push(t);
  }
  return out;
}

/** `const T*` → `T const*`, the order c++filt prints, for each type that starts with const/volatile. */
function moveLeadingCv(tokens: string[]): string[] {
  const out = [...tokens];
  for (let k = 0; k < out.length; k++) {
    const t = out[k];
    if (t !== "const" && t !== "volatile") continue;
    const before = out[k - 1];
    if (!(k === 0 || before === "," || before === "<" || before === "(")) continue;
    out.splice(k, 1);
    const end = typeNameEnd(out, k);
    if (end === k) {
      out.splice(k, 0, t); // not followed by a type name: leave it
      continue;
    }
    out.splice(end, 0, t);
  }
  return out;
}

/** Index just past the type name starting at `k`: builtin words, or a qualified name with template args. */
function typeNameEnd(tokens: string[], k: number): number {
  let i = k;
  if (BUILTIN_WORDS.has(tokens[i] ?? "")) {
    while (BUILTIN_WORDS.has(tokens[i] ?? "")) i++;
    return i;
  }
  for (;;) {
    if (tokens[i] === "::") i++;
    if (!/^[A-Za-z_$]/.test(tokens[i] ?? "")) return i;
    i++;
    if (tokens[i] === "<") {
      let depth = 0;
      for (; i < tokens.length; i++) {
        if (tokens[i] === "<") depth++;
        else if (tokens[i] === ">" && --depth === 0) break;
      }
      i++;
    }
    if (tokens[i] !== "::") return i;
  }
}
