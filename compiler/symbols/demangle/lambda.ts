// Closure types: `Ul [template-head] <params> E [n] _`, printed `{lambda(int, short)#1}` or, with
// an explicit template head, `{lambda<typename $T0>($T0)#1}`. Inside the signature a template
// parameter names its declaration (`$T0`, `$N1`, `$TT0`) or, for a generic lambda, `auto:N`.
import { Node } from "./node.js";
import type { Printer } from "./printer.js";
import type { ParseState } from "./parse-state.js";
import { parseParameterList, parseType } from "./parse-types.js";

/** One declaration of a lambda's template head: `Ty`, `Tn <type>`, `Tt <decls> E`, `Tp <decl>`. */
export class TemplateParamDecl extends Node {
  readonly kind = "template-param-decl";
  constructor(
    readonly declKind: "type" | "non-type" | "template" | "pack",
    /** The type of a non-type parameter, or the element of a pack. */
    readonly type: Node | null,
    /** Parameters of a template template parameter. */
    readonly params: readonly TemplateParamDecl[],
    /** Position in the head (named declarations only; -1 inside a template template parameter). */
    readonly index: number,
  ) {
    super();
  }
  /** `$T0`, `$N1`, `$TT0`: the name references print. */
  get placeholder(): string {
    let decl: TemplateParamDecl = this;
    while (decl.declKind === "pack") decl = decl.type as TemplateParamDecl;
    const prefix = decl.declKind === "type" ? "$T" : decl.declKind === "non-type" ? "$N" : "$TT";
    return prefix + this.index;
  }
  print(p: Printer): void {
    this.printDeclaration(p);
    if (this.index >= 0) {
      p.append(" ");
      p.append(this.placeholder);
    }
  }
  private printDeclaration(p: Printer): void {
    switch (this.declKind) {
      case "type":
        return p.append("typename");
      case "non-type":
        return p.print(this.type);
      case "template":
        p.append("template<");
        p.printList(this.params);
        return p.append("> class");
      case "pack":
        (this.type as TemplateParamDecl).printDeclaration(p);
        return p.append("...");
    }
  }
}

/** GCC's closure type: `{lambda(int, short)#1}`. */
export class LambdaName extends Node {
  readonly kind = "lambda";
  constructor(
    readonly templateParams: readonly TemplateParamDecl[],
    readonly params: readonly Node[],
    readonly index: number,
  ) {
    super();
  }
  print(p: Printer): void {
    p.append("{lambda");
    if (this.templateParams.length > 0) {
      p.append("<");
      p.printList(this.templateParams);
      p.append(">");
    }
    p.append("(");
    const holdDecls = p.lambdaDecls;
    p.lambdaDecls = this.templateParams;
    p.lambdaArgs++;
    p.printList(this.params);
    p.lambdaArgs--;
    p.lambdaDecls = holdDecls;
    p.append(`)#${this.index + 1}}`);
  }
  override findPack(): Node | null {
    return null;
  }
}

function isDeclStart(ps: ParseState): boolean {
  if (ps.peek() !== 84 /* T */) return false;
  const k = ps.peekAt(1);
  return k === 121 /* y */ || k === 110 /* n */ || k === 116 /* t */ || k === 112 /* p */;
}

function parseDecl(ps: ParseState, index: number): TemplateParamDecl {
  ps.enter();
  const k = ps.peekAt(1);
  ps.pos += 2;
  let decl: TemplateParamDecl;
  if (k === 121) decl = new TemplateParamDecl("type", null, [], index);
  else if (k === 110) decl = new TemplateParamDecl("non-type", parseType(ps), [], index);
  else if (k === 116) {
    const inner: TemplateParamDecl[] = [];
    while (isDeclStart(ps)) inner.push(parseDecl(ps, -1));
    ps.expect(69 /* E */, "'E' closing a template template parameter");
    decl = new TemplateParamDecl("template", null, inner, index);
  } else {
    if (!isDeclStart(ps)) ps.unexpected("a template parameter declaration after 'Tp'");
    decl = new TemplateParamDecl("pack", parseDecl(ps, -1), [], index);
  }
  ps.leave();
  return decl;
}

/** `Ul <template-param-decl>* <params> E [n] _`. */
export function parseLambda(ps: ParseState): Node {
  ps.pos += 2; // Ul
  const head: TemplateParamDecl[] = [];
  while (isDeclStart(ps)) head.push(parseDecl(ps, head.length));
  const params = parseParameterList(ps);
  ps.expect(69 /* E */, "'E' closing a lambda signature");
  const n = ps.compactNumber();
  if (n < 0) ps.fail("BAD_NUMBER", "bad lambda number");
  // Unlike an unnamed type, c++filt does not make the closure type alone a substitution candidate.
  return new LambdaName(head, params, n);
}
