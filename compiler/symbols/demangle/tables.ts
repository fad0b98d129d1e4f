// Fixed vocabularies of the Itanium mangling: builtin types, operators, standard substitutions.
// Spellings are GNU c++filt's.

/** How a literal of a builtin type prints: `5`, `5u`, `true`, or the generic `(type)value`. */
export const enum LiteralStyle {
  Default,
  Int,
  Unsigned,
  Long,
  UnsignedLong,
  LongLong,
  UnsignedLongLong,
  Bool,
  Float,
  Void,
}

export interface BuiltinInfo {
  readonly name: string;
  readonly literal: LiteralStyle;
}

const b = (name: string, literal: LiteralStyle = LiteralStyle.Default): BuiltinInfo => ({ name, literal });

/** One-letter builtin types, indexed by char code - 97 ('a'); undefined where the letter is not a builtin. */
export const BUILTIN_BY_LETTER: (BuiltinInfo | undefined)[] = (() => {
  const t: (BuiltinInfo | undefined)[] = new Array(26).fill(undefined);
  const set = (c: string, info: BuiltinInfo): void => {
    t[c.charCodeAt(0) - 97] = info;
  };
  set("a", b("signed char"));
  set("b", b("bool", LiteralStyle.Bool));
  set("c", b("char"));
  set("d", b("double", LiteralStyle.Float));
  set("e", b("long double", LiteralStyle.Float));
  set("f", b("float", LiteralStyle.Float));
  set("g", b("__float128", LiteralStyle.Float));
  set("h", b("unsigned char"));
  set("i", b("int", LiteralStyle.Int));
  set("j", b("unsigned int", LiteralStyle.Unsigned));
  set("l", b("long", LiteralStyle.Long));
  set("m", b("unsigned long", LiteralStyle.UnsignedLong));
  set("n", b("__int128"));
  set("o", b("unsigned __int128"));
  set("s", b("short"));
  set("t", b("unsigned short"));
  set("v", b("void", LiteralStyle.Void));
  set("w", b("wchar_t"));
  set("x", b("long long", LiteralStyle.LongLong));
  set("y", b("unsigned long long", LiteralStyle.UnsignedLongLong));
  set("z", b("..."));
  return t;
})();

/** Two-letter `D?` builtin types, keyed by the second letter. */
export const BUILTIN_BY_D_LETTER: Record<string, BuiltinInfo> = {
  f: b("decimal32"),
  d: b("decimal64"),
  e: b("decimal128"),
  h: b("half", LiteralStyle.Float),
  u: b("char8_t"),
  s: b("char16_t"),
  i: b("char32_t"),
  n: b("decltype(nullptr)"),
};

export const NULLPTR_TYPE = BUILTIN_BY_D_LETTER.n!;

export interface OperatorInfo {
  readonly code: string;
  /** Printed spelling; a trailing space is kept in expressions (`sizeof `) and dropped in `operator` names. */
  readonly name: string;
  /** Operand count in expressions. */
  readonly arity: number;
}

const OPERATOR_LIST: OperatorInfo[] = [
  ["aN", "&=", 2], ["aS", "=", 2], ["aa", "&&", 2], ["ad", "&", 1], ["an", "&", 2],
  ["at", "alignof ", 1], ["aw", "co_await ", 1], ["az", "alignof ", 1], ["cc", "const_cast", 2],
  ["cl", "()", 2], ["cm", ",", 2], ["co", "~", 1], ["dV", "/=", 2], ["dX", "[...]=", 3],
  ["da", "delete[] ", 1], ["dc", "dynamic_cast", 2], ["de", "*", 1], ["di", "=", 2],
  ["dl", "delete ", 1], ["ds", ".*", 2], ["dt", ".", 2], ["dv", "/", 2], ["dx", "]=", 2],
  ["eO", "^=", 2], ["eo", "^", 2], ["eq", "==", 2], ["fL", "...", 3], ["fR", "...", 3],
  ["fl", "...", 2], ["fr", "...", 2], ["ge", ">=", 2], ["gs", "::", 1], ["gt", ">", 2],
  ["ix", "[]", 2], ["lS", "<<=", 2], ["le", "<=", 2], ["li", 'operator"" ', 1], ["ls", "<<", 2],
  ["lt", "<", 2], ["mI", "-=", 2], ["mL", "*=", 2], ["mi", "-", 2], ["ml", "*", 2],
  ["mm", "--", 1], ["na", "new[]", 3], ["ne", "!=", 2], ["ng", "-", 1], ["nt", "!", 1],
  ["nw", "new", 3], ["nx", "noexcept", 1], ["oR", "|=", 2], ["oo", "||", 2], ["or", "|", 2],
  ["pL", "+=", 2], ["pl", "+", 2], ["pm", "->*", 2], ["pp", "++", 1], ["ps", "+", 1],
  ["pt", "->", 2], ["qu", "?", 3], ["rM", "%=", 2], ["rS", ">>=", 2], ["rc", "reinterpret_cast", 2],
  ["rm", "%", 2], ["rs", ">>", 2], ["sP", "sizeof...", 1], ["sZ", "sizeof...", 1],
  ["sc", "static_cast", 2], ["ss", "<=>", 2], ["st", "sizeof ", 1], ["sz", "sizeof ", 1],
  ["tr", "throw", 0], ["tw", "throw ", 1],
].map(([code, name, arity]) => ({ code: code as string, name: name as string, arity: arity as number }));

/** Operators keyed by (first char code << 8 | second char code) for lookup without substrings. */
export const OPERATORS: Map<number, OperatorInfo> = new Map(
  OPERATOR_LIST.map((op) => [(op.code.charCodeAt(0) << 8) | op.code.charCodeAt(1), op]),
);

export interface StdSubInfo {
  /** What c++filt prints (its verbose expansion). */
  readonly text: string;
  /** The name a following constructor or destructor takes, if any. */
  readonly lastName: string | null;
}

/** `St`, `Sa`, … keyed by the letter after `S`. */
export const STD_SUBSTITUTIONS: Record<string, StdSubInfo> = {
  t: { text: "std", lastName: null },
  a: { text: "std::allocator", lastName: "allocator" },
  b: { text: "std::basic_string", lastName: "basic_string" },
  s: { text: "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", lastName: "basic_string" },
  i: { text: "std::basic_istream<char, std::char_traits<char> >", lastName: "basic_istream" },
  o: { text: "std::basic_ostream<char, std::char_traits<char> >", lastName: "basic_ostream" },
  d: { text: "std::basic_iostream<char, std::char_traits<char> >", lastName: "basic_iostream" },
};
