// Classification of a C++ parameter type for argument passing: how many words it takes and in which
// register file, and — for the strings probec reads — which memory layout it has. The layouts differ
// between absl's own string_view class, libc++ and libstdc++; the printed type names tell them apart
// (libc++ lives in an inline namespace such as std::__1, libstdc++'s std::string in std::__cxx11).
import { parseCType, printCType, CTypeParseError, type CType, type NameSegment } from "./ctype.js";

export type Arch = "x86_64" | "aarch64";
export type Stdlib = "libc++" | "libstdc++" | "unknown";

/** absl's class and libc++ store `{pointer, length}`; libstdc++ stores `{length, pointer}`. */
export type StringViewLayout = "absl" | "libc++" | "libstdc++";
/** libstdc++'s pre-C++11 copy-on-write string is `libstdc++-cow` (mangled `Ss`, printed `std::string`). */
export type StdStringLayout = "libc++" | "libstdc++" | "libstdc++-cow";

export type StringKind =
  | { kind: "stringView"; layout: StringViewLayout }
  | { kind: "stdString"; layout: StdStringLayout }
  | { kind: "char" };

export type ParamClass =
  /** An integer in one general-purpose register (bool, char, enums declared as such, …). */
  | { kind: "int"; bits: 8 | 16 | 32 | 64; signed: boolean }
  /** `__int128`: two general-purpose registers. */
  | { kind: "int128" }
  /** A pointer or reference: one word, the address. `target` is null for function pointers. */
  | { kind: "pointer"; target: CType | null; reference: boolean }
  /** Floating point, passed in vector registers (xmm / v), which bpftrace cannot read. */
  | { kind: "float"; bits: 16 | 32 | 64 | 128 }
  /** x86-64 `long double`: passed in memory on the stack. */
  | { kind: "x87" }
  /** A 16-byte trivially copyable aggregate of two integer words (string_view, Span, …). */
  | { kind: "aggregate16"; what: { kind: "stringView"; layout: StringViewLayout } | { kind: "other"; name: string } }
  /** A class with a non-trivial copy constructor or destructor: passed by invisible reference. */
  | { kind: "indirect"; what: { kind: "stdString"; layout: StdStringLayout } | { kind: "other"; name: string } }
  | { kind: "variadic" }
  /**
   * Something probec cannot place: `reason` says why and what the user can do. `className` is set
   * when it is a class (or enum: the mangled name does not tell) passed by value.
   */
  | { kind: "unknown"; reason: string; className?: string };

/** What the user can declare for a class probec does not know (keyed by the printed class name). */
export type DeclaredClass =
  /** An enum or a small trivially copyable class held in one integer register. */
  | { kind: "int"; bits: 8 | 16 | 32 | 64; signed: boolean }
  /** A trivially copyable 16-byte class of two integer/pointer words. */
  | { kind: "trivial16" }
  /** A class with a non-trivial copy constructor or destructor (passed by address). */
  | { kind: "nonTrivial" };

export interface ClassifyContext {
  arch: Arch;
  stdlib: Stdlib;
  /** User declarations for class types passed by value, keyed by printed name (with or without template arguments). */
  declaredClasses?: Readonly<Record<string, DeclaredClass>>;
}

/** Inline namespaces that toolchains insert and that a canonical name leaves out. */
const INLINE_NAMESPACE = /^(__1|__ndk1|__Cr|__cxx11|lts_\d+|debian\d+|__y1|__u)$/;
/** libc++'s inline namespaces (libstdc++ uses none for string_view, `__cxx11` for std::string). */
const LIBCXX_NAMESPACE = /^(__1|__ndk1|__Cr|__y1|__u)$/;

/** `std::__1::basic_string_view` → `std::basic_string_view` (template arguments dropped). */
export function canonicalName(segments: NameSegment[]): string {
  return segments
    .filter((s, i) => !(i > 0 && INLINE_NAMESPACE.test(s.name) && (segments[0].name === "std" || segments[0].name === "absl")))
    .map((s) => s.name)
    .join("::");
}

function isLibcxxNamed(segments: NameSegment[]): boolean {
  return segments[0]?.name === "std" && segments.length > 1 && LIBCXX_NAMESPACE.test(segments[1].name);
}

const NON_TRIVIAL = new Set([
  "std::shared_ptr", "std::weak_ptr", "std::unique_ptr", "std::function", "std::vector", "std::map",
  "std::multimap", "std::set", "std::multiset", "std::unordered_map", "std::unordered_set", "std::list",
  "std::deque", "std::forward_list", "std::any", "std::basic_string", "std::string", "std::wstring",
  "std::basic_ostringstream", "std::exception_ptr", "std::thread", "std::promise", "std::future",
  "absl::Status", "absl::StatusOr", "absl::Cord", "absl::flat_hash_map", "absl::flat_hash_set",
  "absl::node_hash_map", "absl::node_hash_set", "absl::InlinedVector", "absl::AnyInvocable", "absl::btree_map",
]);

const TRIVIAL16 = new Set(["absl::Span", "std::span", "absl::Duration", "absl::Time", "absl::FunctionRef"]);
const TRIVIAL_INT64 = new Set(["std::chrono::duration", "std::chrono::time_point"]);

function builtinClass(name: string, arch: Arch): ParamClass | null {
  const charSigned = arch === "x86_64"; // plain char and wchar_t are unsigned on AArch64 Linux
  switch (name) {
    case "bool":
    case "unsigned char":
    case "char8_t":
      return { kind: "int", bits: 8, signed: false };
    case "char":
      return { kind: "int", bits: 8, signed: charSigned };
    case "signed char":
      return { kind: "int", bits: 8, signed: true };
    case "short":
    case "short int":
    case "signed short":
      return { kind: "int", bits: 16, signed: true };
    case "unsigned short":
    case "unsigned short int":
    case "char16_t":
      return { kind: "int", bits: 16, signed: false };
    case "int":
    case "signed":
    case "signed int":
      return { kind: "int", bits: 32, signed: true };
    case "unsigned":
    case "unsigned int":
    case "char32_t":
      return { kind: "int", bits: 32, signed: false };
    case "wchar_t":
      return { kind: "int", bits: 32, signed: charSigned };
    case "long":
    case "long int":
    case "long long":
    case "long long int":
    case "signed long":
      return { kind: "int", bits: 64, signed: true };
    case "unsigned long":
    case "unsigned long int":
    case "unsigned long long":
    case "unsigned long long int":
    case "decltype(nullptr)":
      return { kind: "int", bits: 64, signed: false };
    case "__int128":
    case "unsigned __int128":
      return { kind: "int128" };
    case "float":
      return { kind: "float", bits: 32 };
    case "double":
      return { kind: "float", bits: 64 };
    case "_Float16":
    case "__bf16":
      return { kind: "float", bits: 16 };
    case "__float128":
      return { kind: "float", bits: 128 };
    case "long double":
      return arch === "x86_64" ? { kind: "x87" } : { kind: "float", bits: 128 };
    case "void":
      return { kind: "unknown", reason: "'void' is not a parameter type" };
    default:
      return null;
  }
}

/** The string kind of a type (after references/pointers are removed by the caller), or null. */
export function stringKindOf(t: CType, stdlib: Stdlib): StringKind | null {
  if (t.kind === "builtin") return t.name === "char" || t.name === "unsigned char" || t.name === "signed char" || t.name === "char8_t" ? { kind: "char" } : null;
  if (t.kind !== "named") return null;
  const canonical = canonicalName(t.segments);
  const last = t.segments[t.segments.length - 1];
  const charArg = last.templateArgs?.[0] === "char";
  if (canonical === "absl::string_view" && last.templateArgs === null) return { kind: "stringView", layout: "absl" };
  if ((canonical === "std::basic_string_view" && charArg) || canonical === "std::string_view") {
    if (isLibcxxNamed(t.segments) || stdlib === "libc++") return { kind: "stringView", layout: "libc++" };
    if (stdlib === "libstdc++" || canonical === "std::basic_string_view") return { kind: "stringView", layout: "libstdc++" };
    return null;
  }
  if ((canonical === "std::basic_string" && charArg) || canonical === "std::string") {
    if (isLibcxxNamed(t.segments) || stdlib === "libc++") return { kind: "stdString", layout: "libc++" };
    if (t.segments.some((s) => s.name === "__cxx11")) return { kind: "stdString", layout: "libstdc++" };
    // Without `__cxx11` a libstdc++ std::string is the old copy-on-write one (mangled `Ss`).
    return { kind: "stdString", layout: "libstdc++-cow" };
  }
  return null;
}

function lookupDeclared(t: CType & { kind: "named" }, ctx: ClassifyContext): DeclaredClass | undefined {
  const declared = ctx.declaredClasses;
  if (!declared) return undefined;
  const printed = printCType({ ...t, isConst: false });
  const canonical = canonicalName(t.segments);
  for (const key of [printed, canonical]) if (Object.hasOwn(declared, key)) return declared[key];
  return undefined;
}

function namedClass(t: CType & { kind: "named" }, ctx: ClassifyContext): ParamClass {
  const declared = lookupDeclared(t, ctx);
  if (declared) {
    if (declared.kind === "int") return { kind: "int", bits: declared.bits, signed: declared.signed };
    if (declared.kind === "trivial16") return { kind: "aggregate16", what: { kind: "other", name: printCType(t) } };
    return { kind: "indirect", what: { kind: "other", name: printCType(t) } };
  }
  const str = stringKindOf(t, ctx.stdlib);
  if (str?.kind === "stringView") return { kind: "aggregate16", what: str };
  if (str?.kind === "stdString") return { kind: "indirect", what: str };
  const canonical = canonicalName(t.segments);
  if (canonical === "std::basic_string_view") return { kind: "aggregate16", what: { kind: "other", name: printCType(t) } };
  if (canonical === "std::string_view") {
    return { kind: "unknown", reason: `the standard library of the binary is unknown, so the layout of '${printCType(t)}' is too` };
  }
  if (NON_TRIVIAL.has(canonical)) return { kind: "indirect", what: { kind: "other", name: printCType(t) } };
  if (TRIVIAL16.has(canonical)) return { kind: "aggregate16", what: { kind: "other", name: printCType(t) } };
  if (TRIVIAL_INT64.has(canonical)) return { kind: "int", bits: 64, signed: true };
  return {
    kind: "unknown",
    className: printCType({ ...t, isConst: false }),
    reason:
      `'${printCType(t)}' is passed by value and probec does not know its size or whether it is trivially copyable ` +
      `(an enum, a small struct or a class with a destructor are passed differently); declare it in the ABI options ` +
      `(declaredClasses: { "${canonical}": { kind: "int" | "trivial16" | "nonTrivial" } })`,
  };
}

/** Classifies a parsed type for argument passing. */
export function classifyCType(t: CType, ctx: ClassifyContext): ParamClass {
  switch (t.kind) {
    case "builtin":
      return builtinClass(t.name, ctx.arch) ?? { kind: "unknown", reason: `unknown builtin type '${t.name}'` };
    case "pointer":
      return { kind: "pointer", target: t.pointee, reference: false };
    case "reference":
      return { kind: "pointer", target: t.referee.kind === "function" ? null : t.referee, reference: true };
    case "functionPointer":
      return { kind: "pointer", target: null, reference: false };
    case "memberDataPointer":
      return { kind: "int", bits: 64, signed: true };
    case "memberFunctionPointer":
      return { kind: "aggregate16", what: { kind: "other", name: "pointer to member function" } };
    case "function":
      return { kind: "pointer", target: null, reference: false };
    case "variadic":
      return { kind: "variadic" };
    case "named":
      return namedClass(t, ctx);
  }
}

/** The same few parameter types recur across overloads and probes: classify each once. */
const memo = new Map<string, { type: CType | null; cls: ParamClass }>();
const MEMO_LIMIT = 10_000;

/** Parses and classifies one printed parameter type. The result is shared: do not mutate it. */
export function classifyParam(printed: string, ctx: ClassifyContext): { type: CType | null; cls: ParamClass } {
  if (ctx.declaredClasses) return classifyUncached(printed, ctx);
  const key = `${ctx.arch}|${ctx.stdlib}|${printed}`;
  let hit = memo.get(key);
  if (!hit) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    hit = classifyUncached(printed, ctx);
    memo.set(key, hit);
  }
  return hit;
}

function classifyUncached(printed: string, ctx: ClassifyContext): { type: CType | null; cls: ParamClass } {
  let type: CType;
  try {
    type = parseCType(printed);
  } catch (err) {
    if (err instanceof CTypeParseError) return { type: null, cls: { kind: "unknown", reason: `cannot parse the type '${printed}': ${err.message}` } };
    throw err;
  }
  return { type, cls: classifyCType(type, ctx) };
}
