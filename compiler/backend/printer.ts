// Prints the bpftrace AST as script text, and records which script line came from which source line.
import type { SourceLoc } from "../ir/program.js";
import type { BtExpr, BtProbe, BtProgram, BtStmt } from "./ast.js";
import type { BpftraceTarget } from "./target-version.js";

export interface PrintedScript {
  text: string;
  /** 1-based script line → the probe-source location it was generated from. */
  lineMap: { btLine: number; loc: SourceLoc }[];
}

const INDENT = "    ";

// C-like binding strength; a child binding less tightly than its parent is parenthesised.
const PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  "<=": 7,
  ">": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};
const BITWISE = new Set(["&", "|", "^"]);
// Unary operators whose character doubled (or followed by another operator character) is a different token.
const FUSING = new Set(["-", "+", "&", "*"]);
const TERNARY = 0;
const UNARY = 11;
const POSTFIX = 12;

/** Escapes text for a bpftrace string literal: quotes, backslashes and control bytes. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\" + c.toString(8).padStart(3, "0");
    else out += ch;
  }
  return out + '"';
}

function precedenceOf(e: BtExpr): number {
  switch (e.kind) {
    case "binary":
      return PRECEDENCE[e.op] ?? 0;
    case "ternary":
      return TERNARY;
    case "unary":
    case "cast":
      return UNARY;
    default:
      return POSTFIX;
  }
}

export class ScriptPrinter {
  private lines: string[] = [];
  private lineMap: { btLine: number; loc: SourceLoc }[] = [];

  constructor(private readonly target: BpftraceTarget) {}

  print(program: BtProgram): PrintedScript {
    this.lines = [];
    this.lineMap = [];
    for (const h of program.header) this.lines.push(h === "" ? "" : `// ${h}`);
    for (const probe of program.probes) {
      this.lines.push("");
      this.printProbe(probe);
    }
    return { text: this.lines.join("\n") + "\n", lineMap: this.lineMap };
  }

  private emit(line: string, loc?: SourceLoc): void {
    this.lines.push(line);
    if (loc) this.lineMap.push({ btLine: this.lines.length, loc });
  }

  private printProbe(p: BtProbe): void {
    for (const c of p.comments) this.emit(`// ${c}`);
    if (p.attachPoints.length === 0) return; // a probe left out: its comment says why
    p.attachPoints.forEach((a, i) => this.emit(i < p.attachPoints.length - 1 ? `${a},` : a, p.loc));
    if (p.predicate) this.emit(`/${this.expr(p.predicate)}/`, p.loc);
    this.emit("{");
    this.printBlock(p.body, 1);
    this.emit("}");
  }

  private printBlock(stmts: BtStmt[], depth: number): void {
    for (const s of stmts) this.printStmt(s, depth);
  }

  private printStmt(s: BtStmt, depth: number): void {
    const pad = INDENT.repeat(depth);
    switch (s.kind) {
      case "comment":
        this.emit(`${pad}// ${s.text}`);
        return;
      case "assignVar":
        this.emit(`${pad}$${s.name} = ${this.expr(s.value)};`, s.loc);
        return;
      case "assignMap":
        this.emit(`${pad}${this.expr(s.target)} = ${this.expr(s.value)};`, s.loc);
        return;
      case "expr":
        this.emit(`${pad}${this.expr(s.expr)};`, s.loc);
        return;
      case "return":
        this.emit(`${pad}return;`, s.loc);
        return;
      case "unroll":
        this.emit(`${pad}unroll (${s.count}) {`, s.loc);
        this.printBlock(s.body, depth + 1);
        this.emit(`${pad}}`);
        return;
      case "if": {
        this.emit(`${pad}if (${this.expr(s.cond)}) {`, s.loc);
        this.printBlock(s.then, depth + 1);
        // `else if` keeps chains flat, as a person would write them.
        let rest = s.else;
        while (rest.length === 1 && rest[0].kind === "if") {
          const elif = rest[0];
          this.emit(`${pad}} else if (${this.expr(elif.cond)}) {`, elif.loc);
          this.printBlock(elif.then, depth + 1);
          rest = elif.else;
        }
        if (rest.length > 0) {
          this.emit(`${pad}} else {`);
          this.printBlock(rest, depth + 1);
        }
        this.emit(`${pad}}`);
        return;
      }
    }
  }

  /** Prints `e`, parenthesised when it binds less tightly than `minPrecedence`. */
  expr(e: BtExpr, minPrecedence = TERNARY): string {
    const text = this.bare(e);
    return precedenceOf(e) < minPrecedence ? `(${text})` : text;
  }

  private bare(e: BtExpr): string {
    switch (e.kind) {
      case "int":
        return e.cast && this.target.castIntLiterals ? `(${e.cast})${e.value}` : e.value;
      case "string":
        return quoteString(e.value);
      case "ident":
        return e.name;
      case "var":
        return `$${e.name}`;
      case "positional":
        return `$${e.index}`;
      case "map":
        return e.key === null ? `@${e.name}` : `@${e.name}[${e.key.map((k) => this.expr(k)).join(", ")}]`;
      case "unary": {
        const inner = this.expr(e.operand, UNARY);
        // `-` then `-1` or `-$x` would print `--`, which bpftrace reads as a decrement (and `+ +`,
        // `& &`, `* *` likewise fuse into other tokens): an operand that starts with an operator
        // character is parenthesised.
        return /^[-+&*!~]/.test(inner) && FUSING.has(e.op) ? `${e.op}(${inner})` : `${e.op}${inner}`;
      }
      case "binary": {
        const p = PRECEDENCE[e.op] ?? 0;
        // Bitwise operators bind more loosely than comparisons, which surprises readers: a bitwise
        // operator's binary operands are always parenthesised, as a person would write them.
        const min = BITWISE.has(e.op) ? (x: BtExpr, floor: number) => (x.kind === "binary" ? POSTFIX : floor) : (_x: BtExpr, floor: number) => floor;
        // Left-associative: the right operand needs parentheses at equal precedence.
        return `${this.expr(e.left, min(e.left, p))} ${e.op} ${this.expr(e.right, min(e.right, p + 1))}`;
      }
      case "ternary":
        return `${this.expr(e.cond, TERNARY + 1)} ? ${this.expr(e.then, TERNARY + 1)} : ${this.expr(e.else, TERNARY)}`;
      case "field":
        return `${this.expr(e.operand, POSTFIX)}${e.arrow ? "->" : "."}${e.name}`;
      case "tpArg":
        return this.target.argsDot ? `args.${e.field}` : `args->${e.field}`;
      case "tupleIndex":
        return `${this.expr(e.operand, POSTFIX)}.${e.index}`;
      case "tuple":
        return `(${e.elements.map((x) => this.expr(x)).join(", ")}${e.elements.length === 1 ? "," : ""})`;
      case "cast":
        return `(${e.type})${this.expr(e.operand, UNARY)}`;
      case "call":
        return `${e.fn}(${e.args.map((a) => this.expr(a)).join(", ")})`;
    }
  }
}

export function printScript(program: BtProgram, target: BpftraceTarget): PrintedScript {
  return new ScriptPrinter(target).print(program);
}
