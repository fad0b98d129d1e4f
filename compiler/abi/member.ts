// Does a function take `this`? The mangled name does not say whether `A::B::f` is a member of class
// B or a free function in namespace B. The rule, in order:
//   1. an explicit declaration (per symbol, from the DSL or options) wins;
//   2. cv/ref qualifiers (`f() const`) and constructors/destructors are always members;
//   3. `_FUN` / `__invoke` inside a lambda are static invokers: no `this`;
//   4. the enclosing component is a lambda, an unnamed type or a template instance: a class;
//      an inline or anonymous namespace, or no enclosing component at all: not a class;
//   5. the binary's known classes (see collectClassNames) and namespaces decide;
//   6. a probe that reads `this` asserts a member function;
//   7. otherwise a guess from the name (an enclosing component that starts with an upper-case
//      letter is taken for a class), reported as a warning when the probe reads arguments.
// Static member functions look exactly like members under rules 4–7: declare them.
import type { PathSegment, SymbolView } from "../symbols/demangle/view.js";
import { splitTopLevel } from "./ctype.js";

export type MemberReason = "declared" | "qualifiers" | "ctor-dtor" | "static-invoker" | "structure" | "known" | "reads-this" | "guess";

export interface MemberDecision {
  member: boolean;
  reason: MemberReason;
  /** The enclosing component's printed name, for messages. */
  enclosing: string | null;
}

export interface MemberFacts {
  declared?: boolean;
  knownClasses?: ReadonlySet<string>;
  knownNamespaces?: ReadonlySet<string>;
  readsThis: boolean;
}

/** The qualified name of the first `count` components, inline namespaces left out. */
export function canonicalPath(path: PathSegment[], count = path.length): string {
  return path
    .slice(0, count)
    .filter((s) => !s.inlineNamespace)
    .map((s) => s.name + (s.templateArgs ?? ""))
    .join("::");
}

export function decideMember(path: PathSegment[], qualifiers: string | undefined, facts: MemberFacts): MemberDecision {
  const fn = path[path.length - 1];
  const owner = path.length >= 2 ? path[path.length - 2] : undefined;
  const enclosing = owner ? canonicalPath(path, path.length - 1) : null;
  const decided = (member: boolean, reason: MemberReason): MemberDecision => ({ member, reason, enclosing });

  if (facts.declared !== undefined) return decided(facts.declared, "declared");
  if (qualifiers && qualifiers.trim() !== "") return decided(true, "qualifiers");
  if (fn && (fn.kind === "ctor" || fn.kind === "dtor")) return decided(true, "ctor-dtor");
  if (!owner) return decided(false, "structure");
  if (owner.kind === "lambda" && (fn.name === "_FUN" || fn.name === "__invoke")) return decided(false, "static-invoker");
  if (owner.kind === "lambda" || owner.kind === "unnamed" || owner.templateArgs) return decided(true, "structure");
  if (owner.inlineNamespace || owner.kind === "anonymous-namespace") return decided(false, "structure");
  if (enclosing !== null && facts.knownClasses?.has(enclosing)) return decided(true, "known");
  if (enclosing !== null && facts.knownNamespaces?.has(enclosing)) return decided(false, "known");
  if (facts.readsThis) return decided(true, "reads-this");
  return decided(/^[A-Z]/.test(owner.name), "guess");
}

/**
 * Class names a binary proves exist: the owners of constructors, destructors and cv-qualified
 * member functions, and the subjects of vtables and typeinfo. The resolver can feed every view it
 * demangled; the more it feeds, the fewer guesses.
 */
export function collectClassNames(views: Iterable<SymbolView>): Set<string> {
  const classes = new Set<string>();
  for (const v of views) {
    const path = v.path;
    if (path.length === 0) continue;
    if (v.kind === "special" && (v.special === "vtable" || v.special === "typeinfo" || v.special === "typeinfo name" || v.special === "VTT")) {
      classes.add(canonicalPath(path));
      continue;
    }
    if (v.kind !== "function" || path.length < 2) continue;
    const fn = path[path.length - 1];
    if (fn.kind === "ctor" || fn.kind === "dtor" || (v.qualifiers && v.qualifiers.trim() !== "")) {
      classes.add(canonicalPath(path, path.length - 1));
    }
  }
  return classes;
}

const INLINE_NAMESPACE = /^(__1|__ndk1|__Cr|__cxx11|lts_\d+|debian\d+)$/;

/**
 * A fallback when no SymbolView is at hand: the path and qualifiers of a function from its
 * demangled text (`ns::Cls::f(int) const`). Good enough for the member rule, not a demangler.
 */
export function pathFromDemangled(demangled: string): { path: PathSegment[]; qualifiers: string } {
  // c++filt prints GCC clones as `f(int) [clone .isra.0]`.
  let text = demangled.trim().replace(/(\s*\[clone [^\]]*\])+$/, "");
  let qualifiers = "";
  const qual = /((?:\s*(?:const|volatile|&&|&))+)$/.exec(text);
  if (qual && text.slice(0, qual.index).endsWith(")")) {
    qualifiers = qual[1];
    text = text.slice(0, qual.index);
  }
  if (text.endsWith(")")) {
    // Drop the parameter list: the last top-level parenthesised group.
    let depth = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      const c = text[i];
      if (c === ")" || c === ">" || c === "]" || c === "}") depth++;
      else if (c === "(" || c === "<" || c === "[" || c === "{") {
        depth--;
        if (depth === 0) {
          text = text.slice(0, i);
          break;
        }
      }
    }
  }
  // A template function's printed return type comes first, separated by a top-level space.
  const words = splitTopLevel(text, " ").filter((w) => w !== "");
  const name = words.length > 1 && !text.includes("operator") ? words[words.length - 1] : text;
  const raw = splitTopLevel(name, "::");
  const path: PathSegment[] = raw.map((part, i) => {
    const lt = part.startsWith("{") || part.startsWith("(") ? -1 : part.indexOf("<");
    const base = lt > 0 && !part.startsWith("operator") ? part.slice(0, lt) : part;
    const templateArgs = lt > 0 && !part.startsWith("operator") ? part.slice(lt) : undefined;
    const prev = i > 0 ? raw[i - 1].replace(/<.*$/, "") : undefined;
    let kind: PathSegment["kind"] = "name";
    if (part.startsWith("{lambda") || part.startsWith("$_") || part.startsWith("'lambda")) kind = "lambda";
    else if (part.startsWith("{unnamed")) kind = "unnamed";
    else if (part === "(anonymous namespace)") kind = "anonymous-namespace";
    else if (base.startsWith("~")) kind = "dtor";
    else if (i === raw.length - 1 && prev !== undefined && base === prev) kind = "ctor";
    else if (base.startsWith("operator")) kind = "operator";
    const seg: PathSegment = { kind, name: base };
    if (templateArgs) seg.templateArgs = templateArgs;
    if (i > 0 && INLINE_NAMESPACE.test(base)) seg.inlineNamespace = true;
    return seg;
  });
  return { path, qualifiers };
}

/**
 * The mangled source names of a function's enclosing scope (`5Envoy10StreamInfo14StreamInfoImpl`
 * for `_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE`), or null
 * when the nested name is not a plain chain of source names (templates, substitutions, ctors).
 */
export function enclosingMangledScope(mangled: string): string | null {
  const m = /^_ZN[rVKRO]*/.exec(mangled);
  if (!m) return null;
  let pos = m[0].length;
  const parts: string[] = [];
  while (pos < mangled.length && mangled[pos] !== "E") {
    if (mangled.startsWith("St", pos)) {
      parts.push("St");
      pos += 2;
      continue;
    }
    const len = /^\d+/.exec(mangled.slice(pos));
    if (!len) return null;
    const n = Number(len[0]);
    const end = pos + len[0].length + n;
    if (end > mangled.length) return null;
    parts.push(mangled.slice(pos, end));
    pos = end;
  }
  if (mangled[pos] !== "E" || parts.length < 2) return null;
  const scope = parts.slice(0, -1).join("");
  return scope.startsWith("St") ? null : scope;
}

/**
 * Symbol names whose presence proves that a function's enclosing scope is a class: its vtable,
 * typeinfo, or an out-of-line constructor or destructor. A namespace has none of these.
 */
export function classEvidenceNeedles(mangled: string): string[] {
  const scope = enclosingMangledScope(mangled);
  if (scope === null) return [];
  return [`_ZTVN${scope}E`, `_ZTIN${scope}E`, `_ZN${scope}C1E`, `_ZN${scope}C2E`, `_ZN${scope}D1Ev`, `_ZN${scope}D2Ev`];
}
