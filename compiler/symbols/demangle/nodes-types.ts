// Type nodes: builtins, pointers and references, qualifiers, function, array and pointer-to-member
// types, template parameters and pack expansions.
import { Node, printSubexpression } from "./node.js";
import type { PendingModifier, Printer } from "./printer.js";
import type { BuiltinInfo } from "./tables.js";

export class BuiltinType extends Node {
  readonly kind = "builtin";
  constructor(readonly info: BuiltinInfo) {
    super();
  }
  print(p: Printer): void {
    p.append(this.info.name);
  }
  override toJSON(): Record<string, unknown> {
    return { kind: this.kind, name: this.info.name };
  }
}

/** `u <source-name>`: a vendor extended type. */
export class VendorType extends Node {
  readonly kind = "vendor-type";
  constructor(readonly name: Node) {
    super();
  }
  print(p: Printer): void {
    p.print(this.name);
  }
  override children(): readonly (Node | null)[] {
    return [this.name];
  }
}

/** A type that prints as a suffix on its inner type: `*`, `&`, `&&`, ` _Complex`, ` _Imaginary`. */
export class PointerLikeType extends Node {
  constructor(
    readonly kind: "pointer" | "lvalue-ref" | "rvalue-ref" | "complex" | "imaginary",
    readonly inner: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    if (this.kind !== "lvalue-ref" && this.kind !== "rvalue-ref") return p.printWithModifier(this, this.inner);
    this.printing++;
    this.printReference(p);
    this.printing--;
  }

  private printReference(p: Printer): void {
    // Reference collapsing through a template parameter: T& with T = U&& is U&.
    let sub = this.inner;
    const holdTemplates = p.templates;
    if (p.lambdaArgs === 0 && sub instanceof TemplateParam) {
      const saved = p.savedScope(sub);
      if (saved === undefined) p.saveScope(sub, p.templates);
      else if (!this.isBeneathItself(sub)) p.templates = saved;
      let arg = p.lookupTemplateArg(sub.index);
      if (arg !== null && arg.kind === "template-args") arg = arg.templateArg(p.packIndex);
      if (arg === null) {
        p.templates = holdTemplates;
        return p.fail("unresolved template parameter", "BAD_TEMPLATE_PARAM");
      }
      sub = arg;
    }
    if (sub instanceof PointerLikeType && (sub.kind === "lvalue-ref" || sub.kind === this.kind)) {
      p.printWithModifier(sub, sub.inner);
    } else if (sub instanceof PointerLikeType && sub.kind === "rvalue-ref") {
      p.printWithModifier(this, sub.inner);
    } else {
      p.printWithModifier(this, this.inner);
    }
    p.templates = holdTemplates;
  }

  /** True when this reference (or its parameter) is already being printed further up. */
  private isBeneathItself(param: TemplateParam): boolean {
    return param.printing > 0 || this.printing > 1;
  }

  /** How many times this node is on the current print path (c++filt's component stack). */
  printing = 0;
  override printAsModifier(p: Printer): void {
    switch (this.kind) {
      case "pointer":
        return p.appendChar(42 /* * */);
      case "lvalue-ref":
        return p.appendChar(38 /* & */);
      case "rvalue-ref":
        return p.append("&&");
      case "complex":
        return p.append(" _Complex");
      case "imaginary":
        return p.append(" _Imaginary");
    }
  }
  override children(): readonly (Node | null)[] {
    return [this.inner];
  }
}

/**
 * A qualifier. `cv` is const/volatile/restrict on a type; `fn-qual` applies to a function (its
 * `this`): ` const`, ref-qualifiers ` &`/` &&`, ` transaction_safe`, ` noexcept(…)`, ` throw(…)`.
 */
export class Qualifier extends Node {
  constructor(
    readonly kind: "cv" | "fn-qual",
    /** Printed text including its leading space: ` const`, ` &&`, ` noexcept`. */
    readonly text: string,
    readonly inner: Node,
    /** The expression of `noexcept(expr)` or the type list of `throw(…)`. */
    readonly operand: Node | null = null,
  ) {
    super();
  }
  print(p: Printer): void {
    if (this.kind === "cv") {
      // The same qualifier already pending (`K T_` with T = `K h`, or copied down by an array)
      // prints once, as c++filt does.
      for (let m = p.mods; m !== null; m = m.next) {
        if (m.printed) continue;
        if (m.node.kind !== "cv") break;
        if ((m.node as Qualifier).text === this.text) return p.print(this.inner);
      }
    }
    p.printWithModifier(this, this.inner);
  }
  override printAsModifier(p: Printer): void {
    p.append(this.text);
    if (this.operand !== null) {
      p.append("(");
      p.print(this.operand);
      p.append(")");
    }
  }
  override children(): readonly (Node | null)[] {
    return [this.inner, this.operand];
  }
}

/** `U <name> <type>`: a vendor qualifier printed after the type. */
export class VendorQualifier extends Node {
  readonly kind = "vendor-qual";
  constructor(
    readonly inner: Node,
    readonly qualifier: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.printWithModifier(this, this.inner);
  }
  override printAsModifier(p: Printer): void {
    p.append(" ");
    p.print(this.qualifier);
  }
  override children(): readonly (Node | null)[] {
    return [this.inner, this.qualifier];
  }
}

export class FunctionType extends Node {
  readonly kind = "function-type";
  constructor(
    readonly returnType: Node | null,
    /** Parameter types; `[]` for `(void)`. */
    readonly params: readonly Node[],
  ) {
    super();
  }
  print(p: Printer): void {
    if (this.returnType !== null) {
      // The function itself is pending while the return type prints, so a return type that is a
      // pointer to function wraps this function's name and parameters: `int (*f())()`.
      const mod = p.pushModifier(this);
      p.print(this.returnType);
      p.mods = mod.next;
      if (mod.printed) return;
      p.appendChar(32);
    }
    this.printInModifierList(p, p.mods);
  }
  override printInModifierList(p: Printer, mods: PendingModifier | null): void {
    let needParen = false;
    let needSpace = false;
    for (let m = mods; m !== null; m = m.next) {
      if (m.printed) break;
      const k = m.node.kind;
      if (k === "pointer" || k === "lvalue-ref" || k === "rvalue-ref") needParen = true;
      else if (k === "cv" || k === "vendor-qual" || k === "complex" || k === "imaginary" || k === "ptrmem") {
        needParen = true;
        needSpace = true;
      }
      if (needParen) break;
    }
    if (needParen) {
      if (!needSpace && p.last !== 40 /* ( */ && p.last !== 42 /* * */) needSpace = true;
      if (needSpace && p.last !== 32) p.append(" ");
      p.append("(");
    }
    const hold = p.mods;
    p.mods = null;
    p.printModifierList(mods, false);
    if (needParen) p.appendChar(41 /* ) */);
    p.appendChar(40 /* ( */);
    p.printList(this.params);
    p.appendChar(41 /* ) */);
    p.printModifierList(mods, true);
    p.mods = hold;
  }
  override children(): readonly (Node | null)[] {
    return [this.returnType, ...this.params];
  }
}

export class ArrayType extends Node {
  readonly kind = "array-type";
  constructor(
    /** The bound: a number printed as written, an expression, or null for `[]`. */
    readonly dimension: Node | null,
    readonly element: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    const hold = p.mods;
    const self: PendingModifier = { node: this, printed: false, templates: p.templates, next: hold };
    p.mods = self;
    // Qualifiers on the array apply to its elements: move pending cv-qualifiers down with it.
    const copies: PendingModifier[] = [];
    for (let m = hold; m !== null && m.node.kind === "cv"; m = m.next) {
      if (m.printed) continue;
      if (copies.length >= 3) return p.fail("too many qualifiers on an array");
      const copy: PendingModifier = { node: m.node, printed: false, templates: m.templates, next: p.mods };
      p.mods = copy;
      m.printed = true;
      copies.push(copy);
    }
    p.print(this.element);
    p.mods = hold;
    if (self.printed) return;
    for (let i = copies.length - 1; i >= 0; i--) copies[i]!.node.printAsModifier(p);
    this.printInModifierList(p, p.mods);
  }
  override printInModifierList(p: Printer, mods: PendingModifier | null): void {
    let needSpace = true;
    if (mods !== null) {
      let needParen = false;
      for (let m: PendingModifier | null = mods; m !== null; m = m.next) {
        if (m.printed) continue;
        if (m.node.kind === "array-type") needSpace = false;
        else needParen = true;
        break;
      }
      if (needParen) p.append(" (");
      p.printModifierList(mods, false);
      if (needParen) p.append(")");
    }
    if (needSpace) p.append(" ");
    p.append("[");
    if (this.dimension !== null) p.print(this.dimension);
    p.append("]");
  }
  override children(): readonly (Node | null)[] {
    return [this.dimension, this.element];
  }
}

/** `M <class> <member>`: `int A::*`, `void (A::*)(int) const`. */
export class PointerToMember extends Node {
  readonly kind = "ptrmem";
  constructor(
    readonly classType: Node,
    readonly member: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.printWithModifier(this, this.member);
  }
  override printAsModifier(p: Printer): void {
    if (p.last !== 40 /* ( */) p.append(" ");
    p.print(this.classType);
    p.append("::*");
  }
  override children(): readonly (Node | null)[] {
    return [this.classType, this.member];
  }
}

/** `T_`, `T0_`: resolved against the template arguments in scope when printed. */
export class TemplateParam extends Node {
  readonly kind = "template-param";
  /** How many times this parameter is being resolved on the current print path. */
  printing = 0;
  constructor(readonly index: number) {
    super();
  }
  print(p: Printer): void {
    if (p.lambdaArgs > 0) {
      const decl = p.lambdaDecls !== null && this.index < p.lambdaDecls.length ? p.lambdaDecls[this.index] : undefined;
      return p.append(decl !== undefined ? (decl as Node & { placeholder: string }).placeholder : `auto:${this.index + 1}`);
    }
    let arg = p.lookupTemplateArg(this.index);
    // Inside a fold expression (packIndex -1) the whole pack prints.
    if (arg !== null && arg.kind === "template-args" && p.packIndex >= 0) arg = arg.templateArg(p.packIndex);
    if (arg === null) return p.fail("unresolved template parameter", "BAD_TEMPLATE_PARAM");
    // The argument may itself name a parameter of an outer template.
    const hold = p.templates;
    p.templates = hold!.next;
    this.printing++;
    p.print(arg);
    this.printing--;
    p.templates = hold;
  }
  override findPack(p: Printer): Node | null {
    // In a lambda's signature parameters are its own (`auto:1`), never the enclosing scope's packs.
    if (p.lambdaArgs > 0) return null;
    const arg = p.lookupTemplateArg(this.index);
    return arg !== null && arg.kind === "template-args" ? arg : null;
  }
}

/** `Dp <type>` or `sp <expr>`: the pattern printed once per element of the pack it names. */
export class PackExpansion extends Node {
  readonly kind = "pack-expansion";
  constructor(readonly pattern: Node) {
    super();
  }
  print(p: Printer): void {
    const pack = this.pattern.findPack(p);
    if (p.failed) return;
    if (pack === null) {
      printSubexpression(p, this.pattern);
      p.append("...");
      return;
    }
    const n = (pack as Node & { args: readonly Node[] }).args.length;
    for (let i = 0; i < n; i++) {
      p.packIndex = i;
      p.print(this.pattern);
      if (i < n - 1) p.append(", ");
    }
  }
  override findPack(): Node | null {
    return null;
  }
  override children(): readonly (Node | null)[] {
    return [this.pattern];
  }
}

export class DecltypeType extends Node {
  readonly kind = "decltype";
  constructor(readonly expression: Node) {
    super();
  }
  print(p: Printer): void {
    p.append("decltype (");
    p.print(this.expression);
    p.append(")");
  }
  override children(): readonly (Node | null)[] {
    return [this.expression];
  }
}

/** `Dv <dim> _ <type>`: GCC vector types, printed `int __vector(4)`. */
export class VectorType extends Node {
  readonly kind = "vector-type";
  constructor(
    readonly dimension: Node,
    readonly element: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.printWithModifier(this, this.element);
  }
  override printAsModifier(p: Printer): void {
    p.append(" __vector(");
    p.print(this.dimension);
    p.append(")");
  }
  override children(): readonly (Node | null)[] {
    return [this.dimension, this.element];
  }
}
