// Grammar of <expression> and <expr-primary>, as far as template arguments and decltype in real
// symbols need them. Unsupported forms are rejected, never printed approximately.
import type { Node } from "./node.js";
import { OperatorName, TemplateNode } from "./nodes-names.js";
import {
  DesignatedInit,
  FoldExpression,
  NewExpression,
  VendorExpression,
  BinaryExpression,
  CastOperator,
  ConditionalExpression,
  ExpressionList,
  FunctionParam,
  InitializerList,
  Literal,
  NullaryExpression,
  UnaryExpression,
} from "./nodes-expr.js";
import { BuiltinType, PackExpansion } from "./nodes-types.js";
import { parseEncoding, parsePrefix, parseSourceName, parseUnqualifiedName } from "./parse-names.js";
import { isDigit, isLower, type ParseState } from "./parse-state.js";
import { parseTemplateArgs, parseTemplateArgsBody, parseTemplateParam, parseType } from "./parse-types.js";
import { NULLPTR_TYPE, OPERATORS } from "./tables.js";

export function parseExpression(ps: ParseState): Node {
  const was = ps.isExpression;
  ps.isExpression = true;
  const node = parseExpression1(ps);
  ps.isExpression = was;
  return node;
}

function parseExpression1(ps: ParseState): Node {
  ps.enter();
  const node = parseExpressionInner(ps);
  ps.leave();
  return node;
}

function parseExpressionInner(ps: ParseState): Node {
  const c = ps.peek();
  const d = ps.peekAt(1);
  if (c === 76 /* L */) return parseExprPrimary(ps);
  if (c === 84 /* T */) return parseTemplateParam(ps);
  if (c === 115 /* s */ && d === 114 /* r */) return parseUnresolvedName(ps);
  if (c === 115 /* s */ && d === 112 /* p */) {
    ps.pos += 2;
    return new PackExpansion(parseExpression1(ps));
  }
  if (c === 102 /* f */ && d === 112 /* p */) {
    ps.pos += 2;
    if (ps.eat(84 /* T */)) return new FunctionParam(0);
    const n = ps.compactNumber();
    if (n < 0) ps.fail("BAD_NUMBER", "bad function parameter number");
    return new FunctionParam(n + 1);
  }
  if (isDigit(c) || (c === 111 /* o */ && d === 110 /* n */)) {
    if (c === 111) ps.pos += 2;
    const name = parseUnqualifiedName(ps, null);
    if (ps.peek() === 73 /* I */) return new TemplateNode(name, parseTemplateArgs(ps));
    return name;
  }
  if ((c === 105 /* i */ || c === 116 /* t */) && d === 108 /* l */) {
    ps.pos += 2;
    const type = c === 116 ? parseType(ps) : null;
    if (ps.peek() === 0 || ps.peekAt(1) === 0) ps.unexpected("an initializer list");
    return new InitializerList(type, parseExpressionList(ps, 69));
  }
  if (c === 117 /* u */) {
    ps.pos++;
    const name = parseSourceName(ps);
    return new VendorExpression(name, parseTemplateArgsBody(ps));
  }
  return parseOperatorExpression(ps);
}

/** The binary operators C++ allows in a fold expression ([expr.prim.fold]); `.` and `->` are not. */
const FOLD_OPERATORS = new Set("pl mi ml dv rm eo an or ls rs pL mI mL dV rM eO aN oR lS rS aS eq ne lt gt le ge aa oo cm ds pm".split(" "));

function parseFoldOperator(ps: ParseState): OperatorName {
  const info = OPERATORS.get((ps.peek() << 8) | ps.peekAt(1));
  if (info === undefined || !FOLD_OPERATORS.has(info.code)) ps.unexpected("the operator of a fold expression");
  ps.pos += 2;
  return new OperatorName(info);
}

/** `sr <qualifier levels> E <name>` (current) or `sr <type> <name>` (old), printed `A::B::name`. */
function parseUnresolvedName(ps: ParseState): Node {
  ps.pos += 2;
  const c = ps.peek();
  let scope: Node;
  if (ps.unresolvedNameState !== 0 && (isDigit(c) || isLower(c) || c === 67 || c === 85 || c === 76)) {
    ps.unresolvedNameState = -1;
    scope = parsePrefix(ps, false);
    ps.eat(69 /* E */);
  } else scope = parseType(ps);
  let name = parseUnqualifiedName(ps, scope);
  if (ps.peek() === 73 /* I */) name = new TemplateNode(name, parseTemplateArgs(ps));
  return name;
}

function parseOperatorExpression(ps: ParseState): Node {
  const c1 = ps.peek();
  const c2 = ps.peekAt(1);
  if (c1 === 0 || c2 === 0) ps.unexpected("an expression");
  if (c1 === 99 /* c */ && c2 === 118 /* v */) {
    ps.pos += 2;
    const wasConversion = ps.isConversion;
    ps.isConversion = false;
    const cast = new CastOperator(parseType(ps));
    ps.isConversion = wasConversion;
    if (ps.eat(95 /* _ */)) return new UnaryExpression(cast, parseExpressionList(ps, 69));
    return new UnaryExpression(cast, parseExpression1(ps));
  }
  const info = OPERATORS.get((c1 << 8) | c2);
  if (info === undefined) ps.unexpected("an expression");
  ps.pos += 2;
  const op = new OperatorName(info);
  const code = info.code;
  // co_await cannot occur in a signature or a template argument (only in coroutine bodies).
  if (code === "aw") ps.fail("UNEXPECTED_CHAR", "co_await in an expression of a mangled name");
  if (code === "st") return new UnaryExpression(op, parseType(ps));
  switch (info.arity) {
    case 0:
      return new NullaryExpression(op);
    case 1: {
      let postfix = false;
      if ((code === "pp" || code === "mm") && !ps.eat(95)) postfix = true;
      if (code === "sP") return new UnaryExpression(op, parseTemplateArgsBody(ps));
      return new UnaryExpression(op, parseExpression1(ps), postfix);
    }
    case 2: {
      if (code === "fl" || code === "fr") {
        const foldOp = parseFoldOperator(ps);
        return new FoldExpression(code[1]!, foldOp, parseExpression1(ps), null);
      }
      if (code === "di") {
        const field = parseUnqualifiedName(ps, null);
        return new DesignatedInit("i", field, null, parseExpression1(ps));
      }
      if (code === "dx") {
        const index = parseExpression1(ps);
        return new DesignatedInit("x", index, null, parseExpression1(ps));
      }
      let left: Node;
      if (code === "dc" || code === "sc" || code === "cc" || code === "rc") left = parseType(ps);
      else if (code === "di") left = parseUnqualifiedName(ps, null);
      else left = parseExpression1(ps);
      let right: Node;
      if (code === "cl") right = parseExpressionList(ps, 69);
      else if (code === "dt" || code === "pt") {
        const a = ps.peek();
        const b = ps.peekAt(1);
        if ((a === 103 && b === 115) || (a === 115 && b === 114)) right = parseExpression1(ps);
        else {
          right = parseUnqualifiedName(ps, null);
          if (ps.peek() === 73) right = new TemplateNode(right, parseTemplateArgs(ps));
        }
      } else right = parseExpression1(ps);
      return new BinaryExpression(op, left, right);
    }
    case 3: {
      if (code === "qu") {
        const a = parseExpression1(ps);
        const b = parseExpression1(ps);
        const e = parseExpression1(ps);
        return new ConditionalExpression(a, b, e);
      }
      if (code === "dX") {
        const from = parseExpression1(ps);
        const to = parseExpression1(ps);
        return new DesignatedInit("X", from, to, parseExpression1(ps));
      }
      if (code === "fL" || code === "fR") {
        const foldOp = parseFoldOperator(ps);
        const first = parseExpression1(ps);
        return new FoldExpression(code[1]!, foldOp, first, parseExpression1(ps));
      }
      // nw / na: <placement>* _ <type> (E | pi <args>* E | <initializer-list>)
      const placement = parseExpressionList(ps, 95 /* _ */);
      const type = parseType(ps);
      let init: Node | null = null;
      if (ps.eat(69 /* E */)) init = null;
      else if (ps.peek() === 112 /* p */ && ps.peekAt(1) === 105 /* i */) {
        ps.pos += 2;
        init = parseExpressionList(ps, 69);
      } else if (ps.peek() === 105 /* i */ && ps.peekAt(1) === 108 /* l */) init = parseExpression1(ps);
      else ps.unexpected("the initializer of a new-expression");
      return new NewExpression(placement, type, init);
    }
    default:
      ps.unexpected("an expression");
  }
}

function parseExpressionList(ps: ParseState, terminator: number): ExpressionList {
  if (ps.eat(terminator)) return new ExpressionList([]);
  const items: Node[] = [];
  do items.push(parseExpression(ps));
  while (!ps.eat(terminator));
  return new ExpressionList(items);
}

/** `L <type> [n] <value> E`, `L _Z <encoding> E`, `LDnE`. */
export function parseExprPrimary(ps: ParseState): Node {
  ps.pos++; // L
  let node: Node;
  const c = ps.peek();
  if (c === 95 /* _ */ || c === 90 /* Z */) {
    // A mangled name; GCC once omitted the leading underscore.
    ps.eat(95);
    ps.expect(90, "'Z' of a nested mangled name");
    node = parseEncoding(ps, false);
  } else {
    const type = parseType(ps);
    if (type instanceof BuiltinType && type.info === NULLPTR_TYPE && ps.eat(69 /* E */)) return type;
    const negative = ps.eat(110 /* n */);
    const start = ps.pos;
    while (ps.peek() !== 69) {
      if (ps.pos >= ps.end) ps.unexpected("'E' closing a literal");
      ps.pos++;
    }
    if (ps.pos === start) ps.unexpected("a literal value");
    node = new Literal(type, ps.text.slice(start, ps.pos), negative);
  }
  ps.expect(69 /* E */, "'E' closing a literal");
  return node;
}
