// Grammar of whole symbols and names: <mangled-name>, <encoding>, <special-name>, <name>,
// <nested-name>, <prefix>, <unqualified-name>, <local-name>, <substitution>. Follows the
// acceptance rules of GNU libiberty, whose output we reproduce.
import type { Node } from "./node.js";
import {
  AbiTagged,
  CloneSuffix,
  ConstructionVtable,
  ConversionName,
  CtorName,
  DefaultArgScope,
  DtorName,
  Encoding,
  ExtendedOperator,
  GlobalCtorDtor,
  LocalName,
  NameNode,
  OperatorName,
  QualifiedName,
  ReferenceTemporary,
  SpecialName,
  StdSubNode,
  StructuredBinding,
  TemplateNode,
  UnnamedType,
} from "./nodes-names.js";
import { FunctionType, Qualifier } from "./nodes-types.js";
import { CastOperator as CastOperatorRef, UnaryExpression } from "./nodes-expr.js";
import { isDigit, isLower, isUpper, ParseState } from "./parse-state.js";
import { parseBareFunctionType, parseCvQualifiers, parseParameterList, parseTemplateArgs, parseTemplateArg, parseTemplateParam, parseType, wrapQualifiers } from "./parse-types.js";
import { OPERATORS, STD_SUBSTITUTIONS } from "./tables.js";
import { parseLambda } from "./lambda.js";
import { ModuleEntity, ModuleName, parseModuleName } from "./modules.js";

/** Parses a complete symbol: `_Z<encoding>[clone suffixes]` or `_GLOBAL__I_<name>`. */
export function parseMangledName(ps: ParseState): Node {
  try {
    return parseMangledNameOnce(ps);
  } catch (err) {
    // The current `sr` syntax did not fit: retry the whole name with the old one, as c++filt does.
    if (ps.unresolvedNameState !== -1) throw err;
    return parseMangledNameOnce(new ParseState(ps.text, 0));
  }
}

function parseMangledNameOnce(ps: ParseState): Node {
  const t = ps.text;
  if (t.startsWith("_Z")) {
    ps.pos = 2;
    let node = parseEncoding(ps, true);
    while (ps.peek() === 46 /* . */ && isCloneStart(ps.peekAt(1))) node = parseCloneSuffix(ps, node);
    if (ps.pos !== ps.end) ps.fail("TRAILING_INPUT", "unexpected text after the encoding");
    return node;
  }
  if (t.length >= 11 && t.startsWith("_GLOBAL_")) {
    const sep = t.charCodeAt(8);
    const which = t.charCodeAt(9);
    if ((sep === 46 || sep === 95 || sep === 36) && (which === 73 /* I */ || which === 68 /* D */) && t.charCodeAt(10) === 95) {
      ps.pos = 11;
      let target: Node;
      if (t.startsWith("_Z", 11)) {
        ps.pos = 13;
        target = parseEncoding(ps, false);
        if (ps.pos !== ps.end) ps.fail("TRAILING_INPUT", "unexpected text after the encoding");
      } else {
        target = new NameNode(t.slice(11));
        ps.pos = ps.end;
      }
      return new GlobalCtorDtor(which === 73, target);
    }
  }
  ps.fail("NOT_MANGLED", "not an Itanium C++ mangled name (no _Z prefix)");
}

function isCloneStart(c: number): boolean {
  return isLower(c) || c === 95 || isDigit(c);
}

/** `.isra.0`, `.constprop.1`, `.cold`, `.lto_priv.0`, `.part.3`: a word then `.<digits>` groups. */
function parseCloneSuffix(ps: ParseState, encoding: Node): Node {
  const start = ps.pos;
  ps.pos += 2;
  while (isCloneStart(ps.peek())) ps.pos++;
  while (ps.peek() === 46 && isDigit(ps.peekAt(1))) {
    ps.pos += 2;
    while (isDigit(ps.peek())) ps.pos++;
  }
  return new CloneSuffix(encoding, ps.text.slice(start, ps.pos));
}

export function parseEncoding(ps: ParseState, topLevel: boolean): Node {
  ps.enter();
  const c = ps.peek();
  let result: Node;
  if (c === 71 /* G */ || c === 84 /* T */) result = parseSpecialName(ps);
  else {
    const name = parseName(ps, false);
    const next = ps.peek();
    if (next === 0 || next === 69 /* E */) result = name;
    else {
      let type = parseBareFunctionType(ps, hasReturnType(name));
      // A nested local name's return type would read as the outer function's: drop it.
      if (!topLevel && name instanceof LocalName && type.returnType !== null) type = new FunctionType(null, type.params);
      result = new Encoding(name, type);
    }
  }
  ps.leave();
  return result;
}

function hasReturnType(name: Node): boolean {
  if (name instanceof LocalName) return hasReturnType(name.entity);
  if (name instanceof TemplateNode) return !isCtorDtorOrConversion(name.name);
  if (name.kind === "fn-qual") return hasReturnType((name as Qualifier).inner);
  return false;
}

function isCtorDtorOrConversion(name: Node): boolean {
  if (name instanceof QualifiedName) return isCtorDtorOrConversion(name.name);
  if (name instanceof LocalName) return isCtorDtorOrConversion(name.entity);
  return name.kind === "ctor" || name.kind === "dtor" || name.kind === "conversion";
}

function parseSpecialName(ps: ParseState): Node {
  if (ps.eat(84 /* T */)) {
    const c = ps.peek();
    ps.pos++;
    switch (c) {
      case 86 /* V */:
        return new SpecialName("vtable for", parseType(ps));
      case 84 /* T */:
        return new SpecialName("VTT for", parseType(ps));
      case 73 /* I */:
        return new SpecialName("typeinfo for", parseType(ps));
      case 83 /* S */:
        return new SpecialName("typeinfo name for", parseType(ps));
      case 104 /* h */:
        parseCallOffset(ps, 104);
        return new SpecialName("non-virtual thunk to", parseEncoding(ps, false));
      case 118 /* v */:
        parseCallOffset(ps, 118);
        return new SpecialName("virtual thunk to", parseEncoding(ps, false));
      case 99 /* c */:
        parseCallOffset(ps, 0);
        parseCallOffset(ps, 0);
        return new SpecialName("covariant return thunk to", parseEncoding(ps, false));
      case 67 /* C */: {
        const derived = parseType(ps);
        if (ps.number() < 0) ps.fail("BAD_NUMBER", "bad construction vtable offset");
        ps.expect(95, "'_' after the construction vtable offset");
        const base = parseType(ps);
        return new ConstructionVtable(base, derived);
      }
      case 70 /* F */:
        return new SpecialName("typeinfo fn for", parseType(ps));
      case 74 /* J */:
        return new SpecialName("java Class for", parseType(ps));
      case 72 /* H */:
        return new SpecialName("TLS init function for", parseName(ps, false));
      case 87 /* W */:
        return new SpecialName("TLS wrapper function for", parseName(ps, false));
      case 65 /* A */:
        return new SpecialName("template parameter object for", parseTemplateArg(ps));
      default:
        ps.pos--;
        ps.unexpected("a special name after 'T'");
    }
  }
  ps.expect(71 /* G */, "a special name");
  const c = ps.peek();
  ps.pos++;
  switch (c) {
    case 86 /* V */:
      return new SpecialName("guard variable for", parseName(ps, false));
    case 82 /* R */: {
      const name = parseName(ps, false);
      const n = ps.number();
      return new ReferenceTemporary(name, n);
    }
    case 65 /* A */:
      return new SpecialName("hidden alias for", parseEncoding(ps, false));
    case 73 /* I */: {
      const module = parseModuleName(ps, null, sourceNameText);
      if (module === null) ps.unexpected("a module name after 'GI'");
      return new SpecialName("initializer for module", module);
    }
    case 114 /* r */:
      return parseJavaResource(ps);
    case 84 /* T */: {
      const k = ps.peek();
      ps.pos++;
      if (k === 110 /* n */) return new SpecialName("non-transaction clone for", parseEncoding(ps, false));
      if (k === 0) ps.unexpected("a transaction clone kind");
      return new SpecialName("transaction clone for", parseEncoding(ps, false));
    }
    default:
      ps.pos--;
      ps.unexpected("a special name after 'G'");
  }
}

/** `Gr <length> _ <name>`: a Java resource; `$S` is `/`, `$_` is `.`, `$$` is `$`. */
function parseJavaResource(ps: ParseState): Node {
  let len = ps.number();
  if (len <= 1) ps.fail("BAD_NUMBER", "bad java resource length");
  ps.expect(95, "'_' after the java resource length");
  len--; // the length counts the '_'
  if (ps.end - ps.pos < len) ps.fail("UNEXPECTED_END", "java resource name runs past the end");
  const raw = ps.text.slice(ps.pos, ps.pos + len);
  ps.pos += len;
  let text = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === "$" && i + 1 < raw.length) {
      const next = raw[++i]!;
      if (next === "S") text += "/";
      else if (next === "_") text += ".";
      else if (next === "$") text += "$";
      else ps.fail("UNEXPECTED_CHAR", `'$${next}' in a java resource name`);
    } else text += ch;
  }
  return new SpecialName("java resource", new NameNode(text));
}

/** `h <offset> _` or `v <offset> _ <virtual offset> _`; the offsets are not printed. */
function parseCallOffset(ps: ParseState, kind: number): void {
  let c = kind;
  if (c === 0) {
    c = ps.peek();
    ps.pos++;
  }
  if (c === 104 /* h */) ps.number();
  else if (c === 118 /* v */) {
    ps.number();
    ps.expect(95, "'_' in a virtual call offset");
    ps.number();
  } else {
    ps.pos--;
    ps.unexpected("a call offset ('h' or 'v')");
  }
  ps.expect(95, "'_' after a call offset");
}

/** <name>; `substitutable` when it names a type (class-enum-type), which makes it a candidate. */
export function parseName(ps: ParseState, substitutable: boolean): Node {
  ps.enter();
  const c = ps.peek();
  let node: Node;
  let fromSubstitution = false;
  if (c === 78 /* N */) node = parseNestedName(ps, !substitutable);
  else if (c === 90 /* Z */) node = parseLocalName(ps);
  else if (c === 85 /* U */) node = parseUnqualifiedName(ps, null);
  else {
    let scope: Node | null = null;
    let module: ModuleName | null = null;
    if (c === 83 /* S */) {
      if (ps.peekAt(1) === 116 /* t */) {
        ps.pos += 2;
        scope = STD_NAME;
      }
      if (ps.peek() === 83 /* S */) {
        const sub = parseSubstitution(ps);
        if (sub instanceof ModuleName) module = sub;
        else {
          if (scope !== null) ps.unexpected("a name after 'St'");
          node = sub;
          fromSubstitution = true;
        }
      }
    }
    if (!fromSubstitution) node = parseUnqualifiedName(ps, scope, module);
    if (ps.peek() === 73 /* I */) {
      // <unscoped-template-name> <template-args>: the template name is a candidate.
      if (!fromSubstitution) ps.addSubstitution(node!);
      node = new TemplateNode(node!, parseTemplateArgs(ps));
      fromSubstitution = false;
    }
  }
  if (substitutable && !fromSubstitution) ps.addSubstitution(node!);
  ps.leave();
  return node!;
}

/** `N [qualifiers] [ref-qualifier] <prefix> E`; member function qualifiers wrap the name. */
function parseNestedName(ps: ParseState, strict: boolean): Node {
  ps.pos++; // N
  const quals = parseCvQualifiers(ps);
  let refQual: string | null = null;
  const c = ps.peek();
  if (c === 82 /* R */ || c === 79 /* O */) {
    ps.pos++;
    refQual = c === 82 ? " &" : " &&";
  }
  let node = parsePrefix(ps, true, strict);
  node = wrapQualifiers(quals, node, true);
  if (refQual !== null) node = new Qualifier("fn-qual", refQual, node);
  ps.expect(69 /* E */, "'E' closing a nested name");
  return node;
}

/** <prefix> up to (not including) its closing `E`; `substitutable` adds each partial prefix. */
export function parsePrefix(ps: ParseState, substitutable = true, strict = false): Node {
  let node: Node | null = null;
  for (;;) {
    const c = ps.peek();
    if (c === 68 /* D */ && (ps.peekAt(1) === 84 || ps.peekAt(1) === 116) /* DT Dt */) {
      if (node !== null) ps.unexpected("a name component");
      node = parseType(ps);
    } else if (c === 73 /* I */) {
      // `<template-prefix> <template-args>`: an entity's own name cannot take two argument lists
      // (`_ZN3CLSIiEIiEE`; LLVM rejects it, we do too). Types keep c++filt's leniency: GCC has
      // emitted such types (libiberty's test suite has one).
      if (node === null || (strict && node instanceof TemplateNode)) ps.unexpected("a name before template arguments");
      node = new TemplateNode(node, parseTemplateArgs(ps));
    } else if (c === 84 /* T */) {
      if (node !== null) ps.unexpected("a name component");
      node = parseTemplateParam(ps);
    } else if (c === 77 /* M */) {
      // Initializer scope of a lambda (`…M`): not printed.
      ps.pos++;
      continue;
    } else if (c === 83 /* S */) {
      const sub = parseSubstitution(ps);
      if (sub instanceof ModuleName) node = parseUnqualifiedName(ps, node, sub);
      else {
        if (node !== null) ps.unexpected("a name component");
        node = sub;
        continue;
      }
    } else {
      node = parseUnqualifiedName(ps, node);
    }
    if (ps.peek() === 69 /* E */) break;
    if (substitutable) ps.addSubstitution(node);
  }
  return node;
}

/** <unqualified-name> [abi-tags], qualified by `scope` when given. */
export function parseUnqualifiedName(ps: ParseState, scope: Node | null, inModule: ModuleName | null = null): Node {
  const module = ps.peek() === 87 /* W */ ? parseModuleName(ps, inModule, sourceNameText) : inModule;
  const c = ps.peek();
  let node: Node;
  if (isDigit(c)) node = parseSourceName(ps);
  else if (isLower(c)) {
    const wasExpression = ps.isExpression;
    if (c === 111 /* o */ && ps.peekAt(1) === 110 /* n */) {
      ps.pos += 2;
      ps.isExpression = false;
    }
    node = parseOperatorName(ps);
    ps.isExpression = wasExpression;
    if (node instanceof OperatorName && node.op.code === "li") node = new UnaryExpression(node, parseSourceName(ps));
  } else if (c === 68 /* D */ && ps.peekAt(1) === 67 /* C */) {
    ps.pos += 2;
    const names: Node[] = [];
    do names.push(parseSourceName(ps));
    while (!ps.eat(69 /* E */));
    node = new StructuredBinding(names);
  } else if (c === 67 /* C */ || c === 68 /* D */) node = parseCtorDtorName(ps);
  else if (c === 76 /* L */) {
    ps.pos++;
    node = parseSourceName(ps);
    parseDiscriminator(ps);
  } else if (c === 85 /* U */) {
    const k = ps.peekAt(1);
    if (k === 108 /* l */) node = parseLambda(ps);
    else if (k === 116 /* t */) node = parseUnnamedType(ps);
    else {
      ps.pos++;
      ps.unexpected("'l' or 't' after 'U'");
    }
  } else ps.unexpected("a name");
  if (module !== null) node = new ModuleEntity(node, module);
  while (ps.peek() === 66 /* B */) {
    // ABI tags must not become the name a constructor takes.
    const holdLast = ps.lastName;
    ps.pos++;
    const tag = parseSourceName(ps) as NameNode;
    node = new AbiTagged(node, tag.text);
    ps.lastName = holdLast;
  }
  return scope === null ? node : new QualifiedName(scope, node);
}

const ANONYMOUS_NAMESPACE = "(anonymous namespace)";

export function parseSourceName(ps: ParseState): Node {
  const start = ps.pos;
  const len = ps.number();
  if (len <= 0) {
    ps.pos = start;
    if (isDigit(ps.peek())) ps.fail("BAD_NUMBER", "identifier length is zero or too large");
    ps.unexpected("an identifier length");
  }
  if (ps.end - ps.pos < len) ps.fail("UNEXPECTED_END", `identifier of length ${len} runs past the end`);
  const from = ps.pos;
  ps.pos += len;
  const t = ps.text;
  let node: NameNode;
  // GCC spells anonymous namespaces `_GLOBAL__N_1`.
  if (len >= 10 && t.startsWith("_GLOBAL_", from)) {
    const s = t.charCodeAt(from + 8);
    if ((s === 46 || s === 95 || s === 36) && t.charCodeAt(from + 9) === 78 /* N */) node = new NameNode(ANONYMOUS_NAMESPACE);
    else node = new NameNode(t.slice(from, from + len));
  } else node = new NameNode(t.slice(from, from + len));
  ps.lastName = node;
  return node;
}

function sourceNameText(ps: ParseState): string {
  return (parseSourceName(ps) as NameNode).text;
}

/** `_ <digit>` or `__ <number> _`; not printed. */
export function parseDiscriminator(ps: ParseState): void {
  if (!ps.eat(95 /* _ */)) return;
  let underscores = 1;
  if (ps.eat(95)) underscores++;
  const n = ps.number();
  if (n < 0) ps.fail("BAD_NUMBER", "bad discriminator");
  if (underscores > 1 && n >= 10) ps.expect(95, "'_' closing a discriminator");
}

function parseOperatorName(ps: ParseState): Node {
  const c1 = ps.peek();
  const c2 = ps.peekAt(1);
  if (c1 === 0 || c2 === 0) ps.fail("UNEXPECTED_END", "the name ends inside an operator name");
  ps.pos += 2;
  if (c1 === 118 /* v */ && isDigit(c2)) return new ExtendedOperator(c2 - 48, parseSourceName(ps));
  if (c1 === 99 /* c */ && c2 === 118 /* v */) {
    const wasConversion = ps.isConversion;
    ps.isConversion = !ps.isExpression;
    const type = parseType(ps);
    const node = ps.isConversion ? new ConversionName(type) : new CastOperatorRef(type);
    ps.isConversion = wasConversion;
    return node;
  }
  const op = OPERATORS.get((c1 << 8) | c2);
  if (op === undefined) {
    ps.pos -= 2;
    ps.unexpected("an operator name");
  }
  return new OperatorName(op);
}

function parseCtorDtorName(ps: ParseState): Node {
  const last = ps.lastName;
  if (ps.peek() === 67 /* C */) {
    let inheriting = false;
    if (ps.peekAt(1) === 73 /* I */) {
      inheriting = true;
      ps.pos++;
    }
    const k = ps.peekAt(1);
    if (k < 49 || k > 53) {
      ps.pos++;
      ps.unexpected("a constructor kind (1-5)");
    }
    ps.pos += 2;
    const variant = (inheriting ? "CI" : "C") + String.fromCharCode(k);
    // An inheriting constructor takes the name last read, which is the base class's (as c++filt).
    const base = inheriting ? parseType(ps) : null;
    const named = inheriting ? ps.lastName : last;
    if (named === null) ps.fail("UNPRINTABLE", "constructor without a class name");
    return new CtorName(variant, named, base);
  }
  const k = ps.peekAt(1);
  if (!(k === 48 || k === 49 || k === 50 || k === 52 || k === 53)) {
    ps.pos++;
    ps.unexpected("a destructor kind (0, 1, 2, 4, 5)");
  }
  ps.pos += 2;
  if (last === null) ps.fail("UNPRINTABLE", "destructor without a class name");
  return new DtorName("D" + String.fromCharCode(k), last);
}

function parseUnnamedType(ps: ParseState): Node {
  ps.pos += 2; // Ut
  const n = ps.compactNumber();
  if (n < 0) ps.fail("BAD_NUMBER", "bad unnamed type number");
  const node = new UnnamedType(n);
  ps.addSubstitution(node);
  return node;
}

/** `Z <encoding> E <entity> [discriminator]`, `Z <encoding> E s [discriminator]`, `Z … E d [n] _ <name>`. */
function parseLocalName(ps: ParseState): Node {
  ps.pos++; // Z
  let fn = parseEncoding(ps, false);
  ps.expect(69 /* E */, "'E' after a local name's function");
  let entity: Node;
  if (ps.eat(115 /* s */)) {
    parseDiscriminator(ps);
    entity = new NameNode("string literal");
  } else {
    let defaultArg = -1;
    if (ps.eat(100 /* d */)) {
      defaultArg = ps.compactNumber();
      if (defaultArg < 0) ps.fail("BAD_NUMBER", "bad default argument number");
    }
    entity = parseName(ps, false);
    if (entity.kind !== "lambda" && entity.kind !== "unnamed-type") parseDiscriminator(ps);
    if (defaultArg >= 0) entity = new DefaultArgScope(defaultArg, entity);
  }
  // The enclosing function's return type would read as the entity's: c++filt drops it.
  if (fn instanceof Encoding && fn.type instanceof FunctionType && fn.type.returnType !== null) {
    fn = new Encoding(fn.name, new FunctionType(null, fn.type.params));
  }
  return new LocalName(fn, entity);
}

/** The standard abbreviations' nodes are immutable: built once. */
const STD_SUB_NODES: Map<number, { node: StdSubNode; lastName: NameNode | null }> = new Map(
  Object.entries(STD_SUBSTITUTIONS).map(([letter, info]) => [
    letter.charCodeAt(0),
    { node: new StdSubNode("S" + letter, info.text), lastName: info.lastName === null ? null : new NameNode(info.lastName) },
  ]),
);
const STD_NAME = new NameNode("std");

/** `S_`, `S<seq-id>_` (base 36) or a standard abbreviation (`St`, `Sa`, `Ss`, …). */
export function parseSubstitution(ps: ParseState): Node {
  const start = ps.pos;
  ps.pos++; // S
  let c = ps.peek();
  if (c === 0) ps.unexpected("a substitution");
  ps.pos++;
  if (c === 95 || isDigit(c) || isUpper(c)) {
    let id = 0;
    if (c !== 95) {
      for (;;) {
        if (isDigit(c)) id = id * 36 + (c - 48);
        else if (isUpper(c)) id = id * 36 + (c - 55);
        else {
          ps.pos--;
          ps.unexpected("a base-36 digit in a substitution");
        }
        if (id > 0xffffffff) ps.fail("BAD_SUBSTITUTION", "substitution index overflows");
        c = ps.peek();
        if (c === 0) ps.unexpected("'_' closing a substitution");
        ps.pos++;
        if (c === 95) break;
      }
      id++;
    }
    if (id >= ps.subs.length) {
      ps.pos = start;
      ps.fail("BAD_SUBSTITUTION", `substitution S${id === 0 ? "" : id - 1}_ refers past the ${ps.subs.length} seen so far`);
    }
    return ps.subs[id]!;
  }
  const info = STD_SUBSTITUTIONS[String.fromCharCode(c)];
  if (info === undefined) {
    ps.pos--;
    ps.unexpected("a substitution");
  }
  const shared = STD_SUB_NODES.get(c)!;
  if (shared.lastName !== null) ps.lastName = shared.lastName;
  let node: Node = shared.node;
  if (ps.peek() === 66 /* B */) {
    while (ps.peek() === 66) {
      const holdLast = ps.lastName;
      ps.pos++;
      node = new AbiTagged(node, (parseSourceName(ps) as NameNode).text);
      ps.lastName = holdLast;
    }
    ps.addSubstitution(node);
  }
  return node;
}
