// Parses a symbol pattern such as `Envoy::**::onAccept`, `Ns::Class::method(absl::string_view)`,
// `Envoy::Event::FileEventImpl::assignEvents::{lambda}` or `*Listener*::on*`.
//
//   pattern   := [ '::' ] component ( '::' component )* [ '(' params ')' qualifiers ]  |  mangled
//   component := '**' | '{lambda}' | '(anonymous namespace)' | operator | [ '~' ] glob [ '<' … '>' ]
import type { ComponentPattern, ParsedPattern } from "./pattern-ast.js";
import { PatternError, type PatternErrorCode } from "./pattern-error.js";

const IDENT_CHAR = /[A-Za-z0-9_$*]/;
const MANGLED = /^_Z[A-Za-z0-9_$.]+$/;
const ANON_NS = "(anonymous namespace)";
// Longest first, so `<<=` wins over `<<` and `<`.
const SYMBOL_OPERATORS = [
  "<=>", "->*", "<<=", ">>=", "()", "[]", "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "^", "&", "|", "~", "!", "=", "<", ">", ",",
];

export function parsePattern(text: string): ParsedPattern {
  return new PatternParser(text).parse();
}

class PatternParser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): ParsedPattern {
    const t = this.text;
    if (t.trim() === "") this.fail("PATTERN_EMPTY", "empty pattern", 0);
    const trimmed = t.trim();
    if (MANGLED.test(trimmed)) return { text: t, mangled: trimmed, path: [], params: null, qualifiers: null };

    this.skipSpaces();
    if (t.startsWith("::", this.i)) this.i += 2; // a leading `::` names the global namespace
    const path: ComponentPattern[] = [];
    let params: string[] | null = null;
    let qualifiers: string | null = null;
    for (;;) {
      path.push(this.component());
      this.skipSpaces();
      if (this.i >= t.length) break;
      if (t.startsWith("::", this.i)) {
        this.i += 2;
        this.skipSpaces();
        if (this.i >= t.length || t[this.i] === ":" || (t[this.i] === "(" && !t.startsWith(ANON_NS, this.i))) {
          this.fail("PATTERN_EMPTY_COMPONENT", "empty name component after '::'", this.i);
        }
        continue;
      }
      if (t[this.i] === "(") {
        params = this.params();
        qualifiers = this.qualifiers();
        break;
      }
      this.fail("PATTERN_BAD_CHAR", `unexpected '${t[this.i]}'`, this.i);
    }
    this.checkShape(path);
    return { text: t, mangled: null, path, params, qualifiers };
  }

  private component(): ComponentPattern {
    const t = this.text;
    this.skipSpaces();
    const start = this.i;
    const column = start + 1;
    if (t.startsWith("**", start)) {
      this.i += 2;
      if (this.i < t.length && IDENT_CHAR.test(t[this.i]!)) {
        this.fail("PATTERN_BAD_WILDCARD", "'**' must be a whole component (use '*' inside a name)", start);
      }
      return { kind: "any-depth", column };
    }
    if (t[start] === "{") {
      const close = t.indexOf("}", start);
      if (close < 0) this.fail("PATTERN_UNBALANCED", "'{' without a matching '}'", start);
      if (t.slice(start + 1, close).trim() !== "lambda") {
        this.fail("PATTERN_BAD_LAMBDA", `unknown '{…}' component '${t.slice(start, close + 1)}' (only '{lambda}' exists)`, start);
      }
      this.i = close + 1;
      return { kind: "lambda", column };
    }
    if (t.startsWith(ANON_NS, start)) {
      this.i += ANON_NS.length;
      return { kind: "name", text: ANON_NS, templateArgs: null, isOperator: false, column };
    }
    if (/^operator(?![A-Za-z0-9_$])/.test(t.slice(start))) return this.operator(start);

    if (t[this.i] === "~") this.i++;
    while (this.i < t.length && IDENT_CHAR.test(t[this.i]!)) this.i++;
    const name = t.slice(start, this.i);
    if (name === "" || name === "~") {
      if (this.i >= t.length) this.fail("PATTERN_EMPTY_COMPONENT", "missing name", this.i);
      if (t[this.i] === ":") this.fail("PATTERN_EMPTY_COMPONENT", "empty name component before '::'", this.i);
      this.fail("PATTERN_BAD_CHAR", `unexpected '${t[this.i]}' in a name`, this.i);
    }
    const doubleStar = name.indexOf("**");
    if (doubleStar >= 0) this.fail("PATTERN_BAD_WILDCARD", "'**' must be a whole component (use '*' inside a name)", start + doubleStar);
    let templateArgs: string | null = null;
    if (t[this.i] === "<") {
      const end = this.balanced(this.i, "<", ">");
      templateArgs = t.slice(this.i, end + 1);
      this.i = end + 1;
    }
    return { kind: "name", text: name, templateArgs, isOperator: false, column };
  }

  private operator(start: number): ComponentPattern {
    const t = this.text;
    this.i = start + "operator".length;
    this.skipSpaces();
    let spelled: string | undefined;
    for (const word of ["new[]", "delete[]", "new", "delete"]) {
      if (t.startsWith(word, this.i) && !/[A-Za-z0-9_$]/.test(t[this.i + word.length] ?? "")) {
        spelled = `operator ${word}`;
        this.i += word.length;
        break;
      }
    }
    if (spelled === undefined) {
      const op = SYMBOL_OPERATORS.find((o) => t.startsWith(o, this.i));
      if (op !== undefined) {
        spelled = `operator${op}`;
        this.i += op.length;
      }
    }
    if (spelled === undefined && /[A-Za-z_]/.test(t[this.i] ?? "")) {
      // A conversion operator: its type runs to the parameter list or the end.
      let end = this.i;
      let depth = 0;
      while (end < t.length && !(depth === 0 && t[end] === "(")) {
        if (t[end] === "<") depth++;
        else if (t[end] === ">") depth--;
        end++;
      }
      spelled = `operator ${t.slice(this.i, end).trim()}`;
      this.i = end;
    }
    if (spelled === undefined) this.fail("PATTERN_BAD_OPERATOR", "'operator' must be followed by an operator or a type", this.i);
    return { kind: "name", text: spelled, templateArgs: null, isOperator: true, column: start + 1 };
  }

  private params(): string[] {
    const t = this.text;
    const open = this.i;
    const close = this.balanced(open, "(", ")");
    const inner = t.slice(open + 1, close);
    this.i = close + 1;
    if (inner.trim() === "" || inner.trim() === "void") return [];
    const result: string[] = [];
    let depth = 0;
    let from = 0;
    for (let k = 0; k <= inner.length; k++) {
      const c = inner[k];
      if (c === "<" || c === "(" || c === "[") depth++;
      else if (c === ">" || c === ")" || c === "]") depth--;
      if (k === inner.length || (c === "," && depth === 0)) {
        const p = inner.slice(from, k).trim();
        if (p === "") this.fail("PATTERN_BAD_CHAR", "empty parameter type", open + 1 + k);
        result.push(p);
        from = k + 1;
      }
    }
    return result;
  }

  private qualifiers(): string | null {
    const t = this.text;
    const rest = t.slice(this.i);
    if (rest.trim() === "") return null;
    const m = /^\s*((?:const|volatile|&&|&)(?:\s*(?:const|volatile|&&|&))*)\s*$/.exec(rest);
    if (m === null) {
      const at = this.i + (rest.length - rest.trimStart().length);
      this.fail("PATTERN_TRAILING", `unexpected text after the parameter list: '${t.slice(at)}'`, at);
    }
    return normalizeQualifiers(m![1]!);
  }

  /** Index of the closer matching the opener at `open`, counting all bracket kinds. */
  private balanced(open: number, opener: string, closer: string): number {
    const t = this.text;
    const stack: string[] = [];
    for (let k = open; k < t.length; k++) {
      const c = t[k]!;
      if (c === "<" || c === "(" || c === "[") stack.push(c);
      else if (c === ">" || c === ")" || c === "]") {
        const want = c === ">" ? "<" : c === ")" ? "(" : "[";
        if (stack.pop() !== want) this.fail("PATTERN_UNBALANCED", `'${c}' does not close anything`, k);
        if (stack.length === 0) return k;
      }
    }
    return this.fail("PATTERN_UNBALANCED", `'${opener}' without a matching '${closer}'`, open);
  }

  private checkShape(path: ComponentPattern[]): void {
    const first = path[0]!;
    if (first.kind === "lambda") this.fail("PATTERN_BAD_LAMBDA", "'{lambda}' needs the function that contains it before it", first.column - 1);
    for (let k = 1; k < path.length; k++) {
      if (path[k]!.kind === "any-depth" && path[k - 1]!.kind === "any-depth") {
        this.fail("PATTERN_BAD_WILDCARD", "'**::**' is the same as '**'", path[k]!.column - 1);
      }
    }
  }

  private skipSpaces(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private fail(code: PatternErrorCode, reason: string, index: number): never {
    throw new PatternError(code, reason, this.text, index + 1);
  }
}

/** `const &` → `const &`, `&&const` → `const &&`: one canonical order and spacing. */
export function normalizeQualifiers(q: string): string {
  const words = q.match(/const|volatile|&&|&/g) ?? [];
  const order = ["const", "volatile", "&", "&&"];
  return words.sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(" ");
}
