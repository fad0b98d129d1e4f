// Grammar of types and template arguments: <type>, qualifiers, <function-type>,
// <bare-function-type>, <array-type>, <pointer-to-member-type>, <template-param>, <template-args>.
import type { Node } from "./node.js";
import { NameNode, TemplateArgs, TemplateNode } from "./nodes-names.js";
import {
  ArrayType,
  BuiltinType,
  DecltypeType,
  FunctionType,
  PackExpansion,
  PointerLikeType,
  PointerToMember,
  Qualifier,
  TemplateParam,
  VectorType,
  VendorQualifier,
  VendorType,
} from "./nodes-types.js";
import { ExpressionList } from "./nodes-expr.js";
import { parseExpression, parseExprPrimary } from "./parse-expression.js";
import { parseName, parseSourceName } from "./parse-names.js";
import { isDigit, type ParseState } from "./parse-state.js";
import { BUILTIN_BY_D_LETTER, BUILTIN_BY_LETTER, LiteralStyle } from "./tables.js";

interface PendingQualifier {
  text: string;
  /** Always a function qualifier (transaction_safe, noexcept, throw). */
  alwaysFunction: boolean;
  operand: Node | null;
}

/** Builtin type nodes are immutable: one shared node per letter. */
const BUILTIN_NODES: (BuiltinType | undefined)[] = BUILTIN_BY_LETTER.map((info) => (info === undefined ? undefined : new BuiltinType(info)));

function isQualifierStart(ps: ParseState): boolean {
  const c = ps.peek();
  if (c === 114 /* r */ || c === 86 /* V */ || c === 75 /* K */) return true;
  if (c === 68 /* D */) {
    const d = ps.peekAt(1);
    return d === 120 /* x */ || d === 111 /* o */ || d === 79 /* O */ || d === 119 /* w */;
  }
  return false;
}

/** Reads `r`, `V`, `K`, `Dx`, `Do`, `DO <expr> E`, `Dw <types> E`, outermost first. */
const NO_QUALIFIERS: readonly PendingQualifier[] = [];

export function parseCvQualifiers(ps: ParseState): readonly PendingQualifier[] {
  if (!isQualifierStart(ps)) return NO_QUALIFIERS;
  const quals: PendingQualifier[] = [];
  while (isQualifierStart(ps)) {
    const c = ps.peek();
    ps.pos++;
    if (c === 114) quals.push({ text: " restrict", alwaysFunction: false, operand: null });
    else if (c === 86) quals.push({ text: " volatile", alwaysFunction: false, operand: null });
    else if (c === 75) quals.push({ text: " const", alwaysFunction: false, operand: null });
    else {
      const d = ps.peek();
      ps.pos++;
      if (d === 120) quals.push({ text: " transaction_safe", alwaysFunction: true, operand: null });
      else if (d === 111) quals.push({ text: " noexcept", alwaysFunction: true, operand: null });
      else if (d === 79) {
        const e = parseExpression(ps);
        ps.expect(69, "'E' closing noexcept(…)");
        quals.push({ text: " noexcept", alwaysFunction: true, operand: e });
      } else {
        const types = parseParameterList(ps);
        ps.expect(69, "'E' closing throw(…)");
        quals.push({ text: " throw", alwaysFunction: true, operand: new ExpressionList(types) });
      }
    }
  }
  return quals;
}

/** Wraps `base` in the qualifiers, the first read outermost; `ofFunction` makes cv apply to `this`. */
export function wrapQualifiers(quals: readonly PendingQualifier[], base: Node, ofFunction: boolean): Node {
  let node = base;
  for (let i = quals.length - 1; i >= 0; i--) {
    const q = quals[i]!;
    node = new Qualifier(ofFunction || q.alwaysFunction ? "fn-qual" : "cv", q.text, node, q.operand);
  }
  return node;
}

function isRefQualifier(node: Node): node is Qualifier {
  return node instanceof Qualifier && node.kind === "fn-qual" && (node.text === " &" || node.text === " &&");
}

export function parseType(ps: ParseState): Node {
  ps.enter();
  const node = parseTypeInner(ps);
  ps.leave();
  return node;
}

function parseTypeInner(ps: ParseState): Node {
  if (isQualifierStart(ps)) {
    // All qualifiers come off at once: the base and the fully qualified type are candidates,
    // partial qualifications are not.
    const quals = parseCvQualifiers(ps);
    const ofFunction = ps.peek() === 70 /* F */;
    const inner = ofFunction ? parseFunctionType(ps) : parseType(ps);
    let node: Node;
    if (isRefQualifier(inner)) node = new Qualifier("fn-qual", inner.text, wrapQualifiers(quals, inner.inner, ofFunction));
    else node = wrapQualifiers(quals, inner, ofFunction);
    ps.addSubstitution(node);
    return node;
  }
  const c = ps.peek();
  if (c >= 97 && c <= 122) {
    const builtin = BUILTIN_NODES[c - 97];
    if (builtin !== undefined) {
      ps.pos++;
      return builtin;
    }
  }
  let node: Node;
  switch (c) {
    case 117 /* u */:
      ps.pos++;
      node = new VendorType(parseSourceName(ps));
      break;
    case 70 /* F */:
      node = parseFunctionType(ps);
      break;
    case 65 /* A */:
      node = parseArrayType(ps);
      break;
    case 77 /* M */: {
      ps.pos++;
      const cls = parseType(ps);
      const member = parseType(ps);
      node = new PointerToMember(cls, member);
      break;
    }
    case 84 /* T */:
      node = parseTemplateParam(ps);
      if (ps.peek() === 73 /* I */) node = parseTemplateTemplateArgs(ps, node);
      break;
    case 80 /* P */:
      ps.pos++;
      node = new PointerLikeType("pointer", parseType(ps));
      break;
    case 82 /* R */:
      ps.pos++;
      node = new PointerLikeType("lvalue-ref", parseType(ps));
      break;
    case 79 /* O */:
      ps.pos++;
      node = new PointerLikeType("rvalue-ref", parseType(ps));
      break;
    case 67 /* C */:
      ps.pos++;
      node = new PointerLikeType("complex", parseType(ps));
      break;
    case 71 /* G */:
      ps.pos++;
      node = new PointerLikeType("imaginary", parseType(ps));
      break;
    case 85 /* U */: {
      ps.pos++;
      let qual = parseSourceName(ps);
      if (ps.peek() === 73 /* I */) qual = new TemplateNode(qual, parseTemplateArgs(ps));
      node = new VendorQualifier(parseType(ps), qual);
      break;
    }
    case 68 /* D */:
      return parseDType(ps);
    case 83 /* S */:
    case 78 /* N */:
    case 90 /* Z */:
    case 87 /* W */:
      // A substitution alone is not a new candidate; followed by template arguments (or, for a
      // module, by the name it qualifies) the whole is: parseName handles both.
      return parseName(ps, true);
    default:
      if (isDigit(c)) return parseName(ps, true);
      ps.unexpected("a type");
  }
  ps.addSubstitution(node);
  return node;
}

/** `T_ I…E`: a template template parameter with arguments, except where a conversion operator needs the args. */
function parseTemplateTemplateArgs(ps: ParseState, param: Node): Node {
  if (!ps.isConversion) {
    ps.addSubstitution(param);
    return new TemplateNode(param, parseTemplateArgs(ps));
  }
  const pos = ps.pos;
  const subs = ps.subs.length;
  const last = ps.lastName;
  let args: TemplateArgs | null = null;
  try {
    args = parseTemplateArgs(ps);
  } catch {
    args = null;
  }
  if (args !== null && ps.peek() === 73 /* I */) {
    ps.addSubstitution(param);
    return new TemplateNode(param, args);
  }
  ps.pos = pos;
  ps.subs.length = subs;
  ps.lastName = last;
  return param;
}

function parseDType(ps: ParseState): Node {
  const d = ps.peekAt(1);
  ps.pos += 2;
  let node: Node;
  switch (d) {
    case 84 /* T */:
    case 116 /* t */:
      node = new DecltypeType(parseExpression(ps));
      ps.expect(69, "'E' closing decltype");
      break;
    case 112 /* p */:
      node = new PackExpansion(parseType(ps));
      break;
    case 97 /* a */:
      return new NameNode("auto");
    case 99 /* c */:
      return new NameNode("decltype(auto)");
    case 118 /* v */: {
      let dim: Node;
      if (ps.eat(95)) dim = parseExpression(ps);
      else {
        const start = ps.pos;
        const n = ps.number();
        if (n < 0 || ps.pos === start) ps.unexpected("a vector size");
        dim = new NameNode(ps.text.slice(start, ps.pos));
      }
      ps.expect(95, "'_' after a vector size");
      node = new VectorType(dim, parseType(ps));
      break;
    }
    case 70 /* F */:
      return parseFloatN(ps);
    default: {
      const info = d === 0 ? undefined : BUILTIN_BY_D_LETTER[String.fromCharCode(d)];
      if (info === undefined) {
        ps.pos -= 1;
        ps.unexpected("a type after 'D'");
      }
      return new BuiltinType(info);
    }
  }
  ps.addSubstitution(node);
  return node;
}

/** `DF <N> _` → `_Float<N>`, `DF <N> x` → `_Float<N>x`, `DF16b` → `std::bfloat16_t`. */
function parseFloatN(ps: ParseState): Node {
  const start = ps.pos;
  const n = ps.number();
  if (n <= 0 || ps.pos === start) ps.unexpected("a floating-point width after 'DF'");
  const suffix = ps.peek();
  ps.pos++;
  let name: string;
  if (suffix === 95 /* _ */) name = `_Float${n}`;
  else if (suffix === 120 /* x */) name = `_Float${n}x`;
  else if (suffix === 98 /* b */ && n === 16) name = "std::bfloat16_t";
  else {
    ps.pos--;
    ps.unexpected("'_', 'x' or 'b' after a floating-point width");
  }
  return new BuiltinType({ name, literal: LiteralStyle.Float });
}

export function parseFunctionType(ps: ParseState): Node {
  ps.enter();
  ps.pos++; // F
  ps.eat(89 /* Y: extern "C", not printed */);
  let node: Node = parseBareFunctionType(ps, true);
  const c = ps.peek();
  if (c === 82 /* R */ || c === 79 /* O */) {
    ps.pos++;
    node = new Qualifier("fn-qual", c === 82 ? " &" : " &&", node);
  }
  ps.expect(69 /* E */, "'E' closing a function type");
  ps.leave();
  return node;
}

export function parseBareFunctionType(ps: ParseState, hasReturnType: boolean): FunctionType {
  let withReturn = hasReturnType;
  if (ps.eat(74 /* J */)) withReturn = true;
  const returnType = withReturn ? parseType(ps) : null;
  return new FunctionType(returnType, parseParameterList(ps));
}

/** One or more parameter types; a lone `v` means none. */
export function parseParameterList(ps: ParseState): Node[] {
  const params: Node[] = [];
  for (;;) {
    const c = ps.peek();
    if (c === 0 || c === 69 /* E */ || c === 46 /* . */ || c === 81 /* Q */) break;
    if ((c === 82 || c === 79) && ps.peekAt(1) === 69) break; // a ref-qualifier of the function
    params.push(parseType(ps));
  }
  if (params.length === 0) ps.unexpected("a parameter type");
  if (params.length === 1) {
    const only = params[0]!;
    if (only instanceof BuiltinType && only.info.literal === LiteralStyle.Void) return [];
  }
  return params;
}

function parseArrayType(ps: ParseState): Node {
  ps.pos++; // A
  let dim: Node | null = null;
  const c = ps.peek();
  if (isDigit(c)) {
    const start = ps.pos;
    while (isDigit(ps.peek())) ps.pos++;
    dim = new NameNode(ps.text.slice(start, ps.pos));
  } else if (c !== 95) dim = parseExpression(ps);
  ps.expect(95, "'_' after an array bound");
  return new ArrayType(dim, parseType(ps));
}

export function parseTemplateParam(ps: ParseState): Node {
  ps.pos++; // T
  const n = ps.compactNumber();
  if (n < 0) ps.fail("BAD_NUMBER", "bad template parameter number");
  return new TemplateParam(n);
}

/** `I <arg>+ E` (or `J … E` for a pack); arguments never change the constructor name. */
export function parseTemplateArgs(ps: ParseState): TemplateArgs {
  const c = ps.peek();
  if (c !== 73 && c !== 74) ps.unexpected("template arguments");
  ps.pos++;
  return parseTemplateArgsBody(ps);
}

export function parseTemplateArgsBody(ps: ParseState): TemplateArgs {
  const holdLast = ps.lastName;
  if (ps.eat(69 /* E */)) return new TemplateArgs([]);
  const args: Node[] = [];
  do args.push(parseTemplateArg(ps));
  while (!ps.eat(69 /* E */));
  ps.lastName = holdLast;
  return new TemplateArgs(args);
}

export function parseTemplateArg(ps: ParseState): Node {
  ps.enter();
  let node: Node;
  const c = ps.peek();
  if (c === 88 /* X */) {
    ps.pos++;
    node = parseExpression(ps);
    ps.expect(69, "'E' closing a template argument expression");
  } else if (c === 76 /* L */) node = parseExprPrimary(ps);
  else if (c === 73 || c === 74) node = parseTemplateArgs(ps);
  else node = parseType(ps);
  ps.leave();
  return node;
}
