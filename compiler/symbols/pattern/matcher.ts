// A compiled pattern: matches a demangled SymbolView structurally (path segments, parameter types),
// never by comparing printed strings of whole names.
import type { PathSegment, SymbolView } from "../demangle/view.js";
import { globToRegExp, InlineNamespaces } from "./inline-namespaces.js";
import { fixedComponentCount, leadingNames, mayStartWith } from "./mangled-prefix.js";
import { needlesOf, type Needles } from "./needles.js";
import { hasInlineNamespaces, normalizeType, writtenInlineNamespaces } from "./normalize-type.js";
import type { ComponentPattern, ParsedPattern } from "./pattern-ast.js";
import { normalizeQualifiers, parsePattern } from "./parse-pattern.js";

/** Names GCC and clang give the static invoker of a capture-less lambda (what C callbacks call). */
const LAMBDA_INVOKERS = new Set(["_FUN", "__invoke"]);

type CompiledComponent =
  | { kind: "any-depth" }
  | { kind: "lambda" }
  | { kind: "name"; test: (s: PathSegment) => boolean };

export interface MatchOptions {
  inline?: InlineNamespaces;
}

export class SymbolPattern {
  readonly needles: Needles;
  private readonly components: CompiledComponent[];
  private readonly params: string[] | null;
  /** Per parameter, the inline namespaces the pattern spells out (and so requires). */
  private readonly paramInline: string[][];
  private readonly inline: InlineNamespaces;
  private readonly leading: Buffer[];
  private readonly componentCount: number | null;

  constructor(
    readonly parsed: ParsedPattern,
    options: MatchOptions = {},
  ) {
    this.inline = options.inline ?? new InlineNamespaces();
    this.needles = needlesOf(parsed);
    this.leading = leadingNames(parsed).map((n) => Buffer.from(n, "utf8"));
    this.componentCount = fixedComponentCount(parsed);
    const path = [...parsed.path];
    // A trailing `**` means "anything below": `Envoy::**` is `Envoy::**::*`.
    if (path.length > 0 && path[path.length - 1]!.kind === "any-depth") {
      path.push({ kind: "name", text: "*", templateArgs: null, isOperator: false, column: 0 });
    }
    this.components = path.map((c) => this.compileComponent(c));
    this.params = parsed.params === null ? null : parsed.params.map((p) => normalizeType(p, this.inline));
    this.paramInline = (parsed.params ?? []).map((p) => writtenInlineNamespaces(p, this.inline));
  }

  get text(): string {
    return this.parsed.text;
  }

  /**
   * Does this symbol match? `.cold` parts never do (they are not function entries); other clone
   * suffixes (`.isra.0`, `.constprop.0`, `.part.0`) belong to their function and do.
   */
  matches(view: SymbolView, mangled: string): boolean {
    if (view.cloneSuffixes.some((s) => s.startsWith(".cold"))) return false;
    if (this.parsed.mangled !== null) return mangled === this.parsed.mangled || stripClone(mangled) === this.parsed.mangled;
    if (view.kind !== "function") return false;
    if (!this.matchPath(view.path, 0, 0)) return false;
    if (this.params !== null) {
      if (view.params === null || view.params.length !== this.params.length) return false;
      for (let k = 0; k < this.params.length; k++) {
        if (normalizeType(view.params[k]!, this.inline) !== this.params[k]) return false;
        if (!hasInlineNamespaces(view.params[k]!, this.paramInline[k]!, this.inline)) return false;
      }
    }
    if (this.parsed.qualifiers !== null && normalizeQualifiers(view.qualifiers ?? "") !== this.parsed.qualifiers) return false;
    return true;
  }

  /**
   * A cheap check on the raw mangled bytes at `start` in `table`, before demangling: false only
   * when the name certainly does not match (its leading components differ from the pattern's, or
   * it has more components than the pattern).
   */
  mayMatchMangled(table: Buffer, start: number): boolean {
    return mayStartWith(table, start, this.leading, this.inline, this.componentCount);
  }

  /** Matches the path only, ignoring parameters: used to find near misses for error messages. */
  matchesName(view: SymbolView): boolean {
    return view.kind === "function" && !view.cloneSuffixes.some((s) => s.startsWith(".cold")) && this.matchPath(view.path, 0, 0);
  }

  private matchPath(segs: PathSegment[], pi: number, si: number): boolean {
    const comps = this.components;
    if (pi === comps.length) return si === segs.length;
    const c = comps[pi]!;
    const s = segs[si];
    if (c.kind === "any-depth") {
      // Zero or more namespace/class components; never reaches into a function's local scope,
      // except that `**::{lambda}` spans the one function that encloses the lambda.
      const lambdaNext = comps[pi + 1]?.kind === "lambda";
      for (let k = si; k <= segs.length; k++) {
        if (this.matchPath(segs, pi + 1, k)) return true;
        const spanned = segs[k];
        if (spanned === undefined || spanned.kind === "lambda" || spanned.kind === "unnamed") break;
        if (spanned.functionParams !== undefined) return lambdaNext && this.matchPath(segs, pi + 1, k + 1);
      }
      return false;
    }
    if (s === undefined) return false;
    if (this.matchHere(c, segs, pi, si)) return true;
    // An inline namespace the pattern leaves out is skipped.
    return this.isInlineNamespace(segs, si) && this.matchPath(segs, pi, si + 1);
  }

  /** Does component `c` match segment `si`, and the rest of the pattern the rest of the path? */
  private matchHere(c: CompiledComponent, segs: PathSegment[], pi: number, si: number): boolean {
    const s = segs[si]!;
    if (c.kind === "lambda") {
      if (s.kind !== "lambda") return false;
      if (pi === this.components.length - 1) {
        // `…::{lambda}` at the end names the static invoker: GCC's `_FUN`, clang's `__invoke`.
        const inv = segs[si + 1];
        return si + 2 === segs.length && inv !== undefined && inv.kind === "name" && LAMBDA_INVOKERS.has(inv.name);
      }
      return this.matchPath(segs, pi + 1, si + 1);
    }
    return c.kind === "name" && c.test(s) && this.matchPath(segs, pi + 1, si + 1);
  }

  private isInlineNamespace(segs: PathSegment[], si: number): boolean {
    const s = segs[si]!;
    if (s.inlineNamespace === true) return true;
    if (s.kind !== "name" || s.templateArgs !== undefined || s.functionParams !== undefined || si === segs.length - 1) return false;
    const parents: string[] = [];
    for (let k = 0; k < si; k++) parents.push(segs[k]!.name);
    return this.inline.isInline(parents, s.name);
  }

  private compileComponent(c: ComponentPattern): CompiledComponent {
    if (c.kind !== "name") return { kind: c.kind };
    const inline = this.inline;
    const templateArgs = c.templateArgs === null ? null : normalizeType(c.templateArgs, inline);
    const argsInline = c.templateArgs === null ? [] : writtenInlineNamespaces(c.templateArgs, inline);
    const argsOk = (s: PathSegment) =>
      templateArgs === null || (normalizeType(s.templateArgs ?? "", inline) === templateArgs && hasInlineNamespaces(s.templateArgs ?? "", argsInline, inline));
    if (c.isOperator) {
      const want = normalizeOperator(c.text, inline);
      return { kind: "name", test: (s) => (s.kind === "operator" || s.kind === "conversion") && normalizeOperator(s.name, inline) === want && argsOk(s) };
    }
    if (c.text === "(anonymous namespace)") return { kind: "name", test: (s) => s.kind === "anonymous-namespace" };
    if (c.text.includes("*")) {
      const re = globToRegExp(c.text);
      return { kind: "name", test: (s) => s.kind !== "lambda" && s.kind !== "unnamed" && s.kind !== "anonymous-namespace" && re.test(s.name) && argsOk(s) };
    }
    const name = c.text;
    return { kind: "name", test: (s) => s.name === name && argsOk(s) };
  }
}

/** `operator <<` and `operator<<` are one operator; a conversion's type is normalised like a parameter. */
function normalizeOperator(name: string, inline: InlineNamespaces): string {
  const rest = name.slice("operator".length).trim();
  if (/^[A-Za-z_]/.test(rest) && !/^(new|delete)\b/.test(rest)) return `operator ${normalizeType(rest, inline)}`;
  return `operator${/^(new|delete)/.test(rest) ? " " : ""}${rest.replace(/\s+/g, "")}`;
}

function stripClone(mangled: string): string {
  const dot = mangled.indexOf(".");
  return dot < 0 ? mangled : mangled.slice(0, dot);
}

/** Parses and compiles a pattern once; reuse the result for every symbol. */
export function compilePattern(text: string, options: MatchOptions = {}): SymbolPattern {
  return new SymbolPattern(parsePattern(text), options);
}
