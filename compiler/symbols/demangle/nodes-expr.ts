// Expression nodes, as they appear in template arguments and decltype: literals, operators,
// casts, calls, function parameters. Printed with c++filt's parenthesization.
import { Node, printSubexpression } from "./node.js";
import { Encoding, OperatorName } from "./nodes-names.js";
import { BuiltinType } from "./nodes-types.js";
import type { Printer } from "./printer.js";
import { LiteralStyle } from "./tables.js";

/** `L <type> <value> E`: `5`, `5u`, `true`, or `(char)97`. */
export class Literal extends Node {
  readonly kind = "literal";
  constructor(
    readonly type: Node,
    readonly value: string,
    readonly negative: boolean,
  ) {
    super();
  }
  print(p: Printer): void {
    let style = LiteralStyle.Default;
    if (this.type instanceof BuiltinType) {
      style = this.type.info.literal;
      switch (style) {
        case LiteralStyle.Int:
        case LiteralStyle.Unsigned:
        case LiteralStyle.Long:
        case LiteralStyle.UnsignedLong:
        case LiteralStyle.LongLong:
        case LiteralStyle.UnsignedLongLong:
          if (this.negative) p.append("-");
          p.append(this.value);
          p.append(INTEGER_SUFFIX[style] ?? "");
          return;
        case LiteralStyle.Bool:
          if (!this.negative && this.value === "0") return p.append("false");
          if (!this.negative && this.value === "1") return p.append("true");
          break;
        default:
          break;
      }
    }
    p.append("(");
    p.print(this.type);
    p.append(")");
    if (this.negative) p.append("-");
    if (style === LiteralStyle.Float) p.append("[");
    p.append(this.value);
    if (style === LiteralStyle.Float) p.append("]");
  }
}

const INTEGER_SUFFIX: Partial<Record<LiteralStyle, string>> = {
  [LiteralStyle.Unsigned]: "u",
  [LiteralStyle.Long]: "l",
  [LiteralStyle.UnsignedLong]: "ul",
  [LiteralStyle.LongLong]: "ll",
  [LiteralStyle.UnsignedLongLong]: "ull",
};

/** Prints an operator in an expression: its symbol (`+`, `sizeof `), or a cast's type. */
function printExpressionOperator(p: Printer, op: Node): void {
  if (op instanceof OperatorName) p.append(op.op.name);
  else p.print(op);
}

/** `cv <type>` inside an expression: a cast to that type. */
export class CastOperator extends Node {
  readonly kind = "cast";
  constructor(readonly type: Node) {
    super();
  }
  print(p: Printer): void {
    p.print(this.type);
  }
  override children(): readonly (Node | null)[] {
    return [this.type];
  }
}

export class UnaryExpression extends Node {
  readonly kind = "unary";
  constructor(
    readonly op: Node,
    readonly operand: Node,
    /** Postfix `x++` / `x--` (mangled without the `_` that marks the prefix form). */
    readonly postfix: boolean = false,
  ) {
    super();
  }
  print(p: Printer): void {
    const op = this.op;
    let operand = this.operand;
    const code = op instanceof OperatorName ? op.op.code : null;
    if (code === "ad" && operand instanceof Encoding && operand.name.kind === "qualified-name" && operand.type.kind === "function-type") {
      // `&A::f` names the function, not a call: no parameter list.
      operand = operand.name;
    }
    if (this.postfix) {
      printSubexpression(p, operand);
      printExpressionOperator(p, op);
      return;
    }
    if (code === "sP") {
      // sizeof...(args): the number of arguments, packs expanded.
      let count = 0;
      for (const arg of (operand as Node & { args: readonly Node[] }).args) {
        if (arg.kind === "pack-expansion") {
          const pack = (arg as Node & { pattern: Node }).pattern.findPack(p);
          count += pack === null ? 0 : (pack as Node & { args: readonly Node[] }).args.length;
        } else count++;
      }
      p.append(String(count));
      return;
    }
    if (code === "sZ") {
      const pack = operand.findPack(p);
      const n = pack === null ? 0 : (pack as Node & { args: readonly Node[] }).args.length;
      p.append(String(n));
      return;
    }
    if (op instanceof CastOperator) {
      p.append("(");
      p.print(op.type);
      p.append(")");
    } else printExpressionOperator(p, op);
    if (code === "gs") p.print(operand);
    else if (code === "st" || code === "nx") {
      p.append("(");
      p.print(operand);
      p.append(")");
    } else printSubexpression(p, operand);
  }
  override children(): readonly (Node | null)[] {
    return [this.op, this.operand];
  }
}

const NEW_CASTS = new Set(["dc", "sc", "cc", "rc"]);

export class BinaryExpression extends Node {
  readonly kind = "binary";
  constructor(
    readonly op: OperatorName,
    readonly left: Node,
    readonly right: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    const code = this.op.op.code;
    if (NEW_CASTS.has(code)) {
      p.append(this.op.op.name);
      p.append("<");
      p.print(this.left);
      p.append(">(");
      p.print(this.right);
      p.append(")");
      return;
    }
    if (code.charCodeAt(0) === 102 /* f: fold expressions */) return p.fail("fold expression");
    const greater = this.op.op.name === ">";
    if (greater) p.append("(");
    if (code === "cl" && this.left instanceof Encoding) {
      if (this.left.type.kind !== "function-type") p.fail("call of a non-function");
      printSubexpression(p, this.left.name);
    } else printSubexpression(p, this.left);
    if (code === "ix") {
      p.append("[");
      p.print(this.right);
      p.append("]");
    } else {
      if (code !== "cl") p.append(this.op.op.name);
      printSubexpression(p, this.right);
    }
    if (greater) p.append(")");
  }
  override children(): readonly (Node | null)[] {
    return [this.op, this.left, this.right];
  }
}

/** `qu a b c`: `(a) ? (b) : (c)`. */
export class ConditionalExpression extends Node {
  readonly kind = "trinary";
  constructor(
    readonly condition: Node,
    readonly whenTrue: Node,
    readonly whenFalse: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    printSubexpression(p, this.condition);
    p.append("?");
    printSubexpression(p, this.whenTrue);
    p.append(" : ");
    printSubexpression(p, this.whenFalse);
  }
  override children(): readonly (Node | null)[] {
    return [this.condition, this.whenTrue, this.whenFalse];
  }
}

/** An operator without operands (`throw`). */
export class NullaryExpression extends Node {
  readonly kind = "nullary";
  constructor(readonly op: OperatorName) {
    super();
  }
  print(p: Printer): void {
    p.append(this.op.op.name);
  }
}

/** A parenthesized argument list: call arguments, functional-cast operands. */
export class ExpressionList extends Node {
  readonly kind = "expr-list";
  constructor(readonly items: readonly Node[]) {
    super();
  }
  print(p: Printer): void {
    p.printList(this.items);
  }
  override children(): readonly (Node | null)[] {
    return this.items;
  }
}

/** `fp_`, `fp0_`, `fpT`: `{parm#1}`, `{parm#2}`, `this`. */
export class FunctionParam extends Node {
  readonly kind = "function-param";
  constructor(
    /** 0 for `this`, else the 1-based parameter number. */
    readonly number: number,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(this.number === 0 ? "this" : `{parm#${this.number}}`);
  }
}

/** `il …E` / `tl <type> …E`: `{a, b}` or `T{a, b}`. */
export class InitializerList extends Node {
  readonly kind = "initializer-list";
  constructor(
    readonly type: Node | null,
    readonly items: ExpressionList,
  ) {
    super();
  }
  print(p: Printer): void {
    if (this.type !== null) p.print(this.type);
    p.append("{");
    p.print(this.items);
    p.append("}");
  }
  override children(): readonly (Node | null)[] {
    return [this.type, this.items];
  }
}

/** `u <name> <args> E`: a vendor extended expression, `__alignof__(int)`. */
export class VendorExpression extends Node {
  readonly kind = "vendor-expr";
  constructor(
    readonly name: Node,
    readonly args: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.name);
    p.append("(");
    p.print(this.args);
    p.append(")");
  }
  override children(): readonly (Node | null)[] {
    return [this.name, this.args];
  }
}

/** Fold expressions: `(...+(x))`, `((x)+...)`, `((init)+...+(x))`, `((x)+...+(init))`. */
export class FoldExpression extends Node {
  readonly kind = "fold";
  constructor(
    /** `l`, `r` (unary left/right), `L`, `R` (binary left/right). */
    readonly side: string,
    readonly op: OperatorName,
    readonly first: Node,
    readonly second: Node | null,
  ) {
    super();
  }
  print(p: Printer): void {
    // The pack prints whole inside a fold.
    const hold = p.packIndex;
    p.packIndex = -1;
    const sym = this.op.op.name;
    if (this.side === "l") {
      p.append("(...");
      p.append(sym);
      printSubexpression(p, this.first);
      p.append(")");
    } else if (this.side === "r") {
      p.append("(");
      printSubexpression(p, this.first);
      p.append(sym);
      p.append("...)");
    } else {
      p.append("(");
      printSubexpression(p, this.first);
      p.append(sym);
      p.append("...");
      p.append(sym);
      printSubexpression(p, this.second);
      p.append(")");
    }
    p.packIndex = hold;
  }
  override children(): readonly (Node | null)[] {
    return [this.op, this.first, this.second];
  }
}

/** `nw`/`na`: `new (placement) T(init)`, `new T [n]`, `new T{…}`. */
export class NewExpression extends Node {
  readonly kind = "new";
  constructor(
    readonly placement: ExpressionList,
    readonly type: Node,
    readonly initializer: Node | null,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append("new ");
    if (this.placement.items.length > 0) {
      printSubexpression(p, this.placement);
      p.append(" ");
    }
    p.print(this.type);
    if (this.initializer !== null) printSubexpression(p, this.initializer);
  }
  override children(): readonly (Node | null)[] {
    return [this.placement, this.type, this.initializer];
  }
}

/** Designated initializers: `.field=(v)`, `[i]=(v)`, `[a ... b]=(v)`, chained `.a.b[3]=(v)`. */
export class DesignatedInit extends Node {
  readonly kind = "designated-init";
  constructor(
    /** `i` (field), `x` (index), `X` (range). */
    readonly form: string,
    readonly designator: Node,
    readonly rangeEnd: Node | null,
    readonly value: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(this.form === "i" ? "." : "[");
    p.print(this.designator);
    if (this.form === "X") {
      p.append(" ... ");
      p.print(this.rangeEnd);
    }
    if (this.form !== "i") p.append("]");
    if (this.value instanceof DesignatedInit) p.print(this.value);
    else {
      p.append("=");
      printSubexpression(p, this.value);
    }
  }
  override children(): readonly (Node | null)[] {
    return [this.designator, this.rangeEnd, this.value];
  }
}
