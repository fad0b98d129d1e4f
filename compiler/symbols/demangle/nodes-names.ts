// Name nodes: identifiers, qualified and local names, templates, constructors, operators, lambdas,
// the function encoding itself and the special names (vtable, thunks, …).
import { Node } from "./node.js";
import type { PendingModifier, Printer } from "./printer.js";
import type { OperatorInfo } from "./tables.js";

/** A source identifier (`TcpListenerImpl`, `$_1`, `(anonymous namespace)`) or a fixed spelling. */
export class NameNode extends Node {
  readonly kind = "name";
  constructor(readonly text: string) {
    super();
  }
  print(p: Printer): void {
    p.append(this.text);
  }
}

/** A standard abbreviation: `St`, `Sa`, `Ss`, … printed as c++filt's verbose expansion. */
export class StdSubNode extends Node {
  readonly kind = "std-sub";
  constructor(
    readonly code: string,
    readonly text: string,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(this.text);
  }
}

export class QualifiedName extends Node {
  readonly kind = "qualified-name";
  constructor(
    readonly scope: Node,
    readonly name: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.scope);
    p.appendPair(58 /* : */, 58);
    p.print(this.name);
  }
  override children(): readonly (Node | null)[] {
    return [this.scope, this.name];
  }
}

/** `{default arg#N}::entity` inside a local name. */
export class DefaultArgScope extends Node {
  readonly kind = "default-arg";
  constructor(
    readonly index: number,
    readonly entity: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(`{default arg#${this.index + 1}}::`);
    p.print(this.entity);
  }
}

/** An entity local to a function: `Z <encoding> E <entity>`, printed `f(int)::entity`. */
export class LocalName extends Node {
  readonly kind = "local-name";
  constructor(
    readonly encoding: Node,
    readonly entity: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.encoding);
    p.append("::");
    let entity = this.entity;
    if (entity instanceof DefaultArgScope) {
      p.append(`{default arg#${entity.index + 1}}::`);
      entity = entity.entity;
    }
    p.print(entity);
  }
  override printInModifierList(p: Printer, _rest: PendingModifier | null): void {
    // The function part must not see the pending modifiers; qualifiers of the entity were already
    // moved onto the modifier stack by the enclosing encoding.
    const hold = p.mods;
    p.mods = null;
    p.print(this.encoding);
    p.mods = hold;
    p.append("::");
    let entity = this.entity;
    if (entity instanceof DefaultArgScope) {
      p.append(`{default arg#${entity.index + 1}}::`);
      entity = entity.entity;
    }
    while (entity.kind === "fn-qual") entity = (entity as Node & { inner: Node }).inner;
    p.print(entity);
  }
  override children(): readonly (Node | null)[] {
    return [this.encoding, this.entity];
  }
}

/** A template argument list, also used for argument packs (`J…E`). */
export class TemplateArgs extends Node {
  readonly kind = "template-args";
  constructor(readonly args: readonly Node[]) {
    super();
  }
  print(p: Printer): void {
    p.printList(this.args);
  }
  override templateArg(index: number): Node | null {
    return index < this.args.length ? this.args[index]! : null;
  }
  override children(): readonly (Node | null)[] {
    return this.args;
  }
}

export class TemplateNode extends Node {
  readonly kind = "template";
  constructor(
    readonly name: Node,
    readonly args: TemplateArgs,
  ) {
    super();
  }
  print(p: Printer): void {
    const holdCurrent = p.currentTemplate;
    p.currentTemplate = this;
    // Modifiers must not leak into the template's own arguments.
    const holdMods = p.mods;
    p.mods = null;
    p.print(this.name);
    printTemplateArgs(p, this.args);
    p.mods = holdMods;
    p.currentTemplate = holdCurrent;
  }
  override children(): readonly (Node | null)[] {
    return [this.name, this.args];
  }
}

/** `<args>` with c++filt's spacing: `operator< <int>` and `> >`. */
export function printTemplateArgs(p: Printer, args: TemplateArgs): void {
  if (p.last === 60 /* < */) p.appendChar(32);
  p.appendChar(60 /* < */);
  p.print(args);
  if (p.last === 62 /* > */) p.appendChar(32);
  p.appendChar(62 /* > */);
}

/** `name[abi:tag]`. */
export class AbiTagged extends Node {
  readonly kind = "abi-tagged";
  constructor(
    readonly name: Node,
    readonly tag: string,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.name);
    p.append(`[abi:${this.tag}]`);
  }
  override findPack(): Node | null {
    return null;
  }
}

/** C1/C2/C3/C4/C5 and CI1/CI2 (inheriting); prints the class name. */
export class CtorName extends Node {
  readonly kind = "ctor";
  constructor(
    readonly variant: string,
    readonly className: Node,
    readonly inheritedFrom: Node | null,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.className);
  }
  override children(): readonly (Node | null)[] {
    return [this.className];
  }
}

/** D0/D1/D2/D4/D5; prints `~` and the class name. */
export class DtorName extends Node {
  readonly kind = "dtor";
  constructor(
    readonly variant: string,
    readonly className: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append("~");
    p.print(this.className);
  }
  override children(): readonly (Node | null)[] {
    return [this.className];
  }
}

/** An operator: as a name it prints `operator<<`, `operator new`; in an expression, its symbol. */
export class OperatorName extends Node {
  readonly kind = "operator";
  constructor(readonly op: OperatorInfo) {
    super();
  }
  print(p: Printer): void {
    const name = this.op.name;
    p.append("operator");
    const c = name.charCodeAt(0);
    if (c >= 97 && c <= 122) p.append(" ");
    p.append(name.endsWith(" ") ? name.slice(0, -1) : name);
  }
  override findPack(): Node | null {
    return null;
  }
}

/** `v<digit> <source-name>`: a vendor extended operator. */
export class ExtendedOperator extends Node {
  readonly kind = "extended-operator";
  constructor(
    readonly arity: number,
    readonly name: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append("operator ");
    p.print(this.name);
  }
  override children(): readonly (Node | null)[] {
    return [this.name];
  }
}

/** `cv <type>` as a name: `operator int`; it sees the enclosing template's arguments. */
export class ConversionName extends Node {
  readonly kind = "conversion";
  constructor(readonly type: Node) {
    super();
  }
  print(p: Printer): void {
    p.append("operator ");
    const current = p.currentTemplate as TemplateNode | null;
    const hold = p.templates;
    if (current !== null) p.templates = { args: current.args, next: hold };
    if (this.type instanceof TemplateNode) {
      p.print(this.type.name);
      p.templates = hold;
      printTemplateArgs(p, this.type.args);
    } else {
      p.print(this.type);
      p.templates = hold;
    }
  }
  override children(): readonly (Node | null)[] {
    return [this.type];
  }
}

export class UnnamedType extends Node {
  readonly kind = "unnamed-type";
  constructor(readonly index: number) {
    super();
  }
  print(p: Printer): void {
    p.append(`{unnamed type#${this.index + 1}}`);
  }
}

/** `DC <names> E`: a structured binding, printed `[a, b]`. */
export class StructuredBinding extends Node {
  readonly kind = "structured-binding";
  constructor(readonly names: readonly Node[]) {
    super();
  }
  print(p: Printer): void {
    p.append("[");
    p.printList(this.names);
    p.append("]");
  }
  override children(): readonly (Node | null)[] {
    return this.names;
  }
}

/**
 * A function encoding: its name and function type. The name (with the member function's
 * qualifiers) is pushed as a modifier so the function type prints it between the return type and
 * the parameters; if the name is a template, its arguments are the scope of `T_` in the type.
 */
export class Encoding extends Node {
  readonly kind = "encoding";
  constructor(
    readonly name: Node,
    readonly type: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    const holdMods = p.mods;
    p.mods = null;
    const name = this.name;
    if (name.kind !== "fn-qual" && !(name instanceof LocalName)) {
      // Most functions: the name alone is pending, no list of pushed modifiers to keep.
      const mod = p.pushModifier(name);
      const holdTemplates = p.templates;
      if (name instanceof TemplateNode) p.templates = { args: name.args, next: holdTemplates };
      p.print(this.type);
      p.templates = holdTemplates;
      if (!mod.printed) {
        p.appendChar(32);
        name.printAsModifier(p);
      }
      p.mods = holdMods;
      return;
    }
    const pushed: PendingModifier[] = [];
    let named: Node = this.name;
    for (;;) {
      if (pushed.length >= 4) return p.fail("too many qualifiers on a function name");
      pushed.push(p.pushModifier(named));
      if (named.kind !== "fn-qual") break;
      named = (named as Node & { inner: Node }).inner;
    }
    if (named instanceof LocalName) {
      let entity: Node = named.entity;
      if (entity instanceof DefaultArgScope) entity = entity.entity;
      while (entity.kind === "fn-qual") {
        if (pushed.length >= 4) return p.fail("too many qualifiers on a function name");
        // Qualifiers of a local entity apply to the whole function: slip them under the name.
        const top = pushed[pushed.length - 1]!;
        const qual: PendingModifier = { node: entity, printed: false, templates: p.templates, next: top.next };
        top.next = qual;
        pushed.splice(pushed.length - 1, 0, qual);
        entity = (entity as Node & { inner: Node }).inner;
      }
      named = entity;
    }
    const holdTemplates = p.templates;
    if (named instanceof TemplateNode) p.templates = { args: named.args, next: holdTemplates };
    p.print(this.type);
    p.templates = holdTemplates;
    for (let i = pushed.length - 1; i >= 0; i--) {
      const mod = pushed[i]!;
      if (!mod.printed) {
        p.append(" ");
        mod.node.printAsModifier(p);
      }
    }
    p.mods = holdMods;
  }
  override children(): readonly (Node | null)[] {
    return [this.name, this.type];
  }
}

/** `vtable for X`, `typeinfo for X`, `non-virtual thunk to f()`, `guard variable for x`, … */
export class SpecialName extends Node {
  readonly kind = "special";
  constructor(
    /** The c++filt prefix without its trailing space: `vtable for`, `virtual thunk to`. */
    readonly what: string,
    readonly target: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(this.what);
    p.append(" ");
    p.print(this.target);
  }
  override children(): readonly (Node | null)[] {
    return [this.target];
  }
}

export class ConstructionVtable extends Node {
  readonly kind = "construction-vtable";
  constructor(
    readonly base: Node,
    readonly derived: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append("construction vtable for ");
    p.print(this.base);
    p.append("-in-");
    p.print(this.derived);
  }
  override children(): readonly (Node | null)[] {
    return [this.base, this.derived];
  }
}

export class ReferenceTemporary extends Node {
  readonly kind = "reference-temporary";
  constructor(
    readonly target: Node,
    readonly index: number,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(`reference temporary #${this.index} for `);
    p.print(this.target);
  }
  override children(): readonly (Node | null)[] {
    return [this.target];
  }
}

/** A compiler clone of a function: `f() [clone .isra.0]`. */
export class CloneSuffix extends Node {
  readonly kind = "clone";
  constructor(
    readonly encoding: Node,
    readonly suffix: string,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.encoding);
    p.append(` [clone ${this.suffix}]`);
  }
  override children(): readonly (Node | null)[] {
    return [this.encoding];
  }
}

/** `_GLOBAL__I_x` / `_GLOBAL__D_x`: `global constructors keyed to x`. */
export class GlobalCtorDtor extends Node {
  readonly kind = "global-ctor-dtor";
  constructor(
    readonly isConstructor: boolean,
    readonly target: Node,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append(this.isConstructor ? "global constructors keyed to " : "global destructors keyed to ");
    p.print(this.target);
  }
  override children(): readonly (Node | null)[] {
    return [this.target];
  }
}
