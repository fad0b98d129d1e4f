// Rebuilds IR expressions and statements bottom-up with a replacement function, keeping track of
// the source location of the statement being rewritten (for diagnostics on nodes without one).
import type { Expr, SourceLoc, Stmt } from "../ir/program.js";

/** Called on every node after its children were rewritten; returns the node to keep. */
export type ExprRewrite = (e: Expr, stmtLoc: SourceLoc) => Expr;

export function mapExpr(e: Expr, f: ExprRewrite, loc: SourceLoc): Expr {
  const m = (x: Expr): Expr => mapExpr(x, f, loc);
  const ms = (xs: Expr[] | null): Expr[] | null => (xs === null ? null : xs.map(m));
  let out: Expr;
  switch (e.kind) {
    case "unary":
      out = { ...e, operand: m(e.operand) };
      break;
    case "binary":
      out = { ...e, left: m(e.left), right: m(e.right) };
      break;
    case "ternary":
      out = { ...e, cond: m(e.cond), then: m(e.then), else: m(e.else) };
      break;
    case "mapGet":
      out = { ...e, key: ms(e.key) };
      break;
    case "structCast":
    case "deref":
    case "intCast":
      out = { ...e, operand: m(e.operand) } as Expr;
      break;
    case "field":
      out = { ...e, operand: m(e.operand) };
      break;
    case "tupleGet":
      out = { ...e, operand: m(e.operand) };
      break;
    case "tuple":
      out = { ...e, elements: e.elements.map(m) };
      break;
    case "call":
      out = { ...e, args: e.args.map(m) };
      break;
    case "sizedStr":
      out = { ...e, ptr: m(e.ptr), len: m(e.len) };
      break;
    default:
      out = e;
  }
  return f(out, loc);
}

export function mapStmts(stmts: Stmt[], f: ExprRewrite): Stmt[] {
  return stmts.map((s) => mapStmt(s, f));
}

function mapStmt(s: Stmt, f: ExprRewrite): Stmt {
  const m = (x: Expr): Expr => mapExpr(x, f, s.loc);
  const mk = (xs: Expr[] | null): Expr[] | null => (xs === null ? null : xs.map(m));
  switch (s.kind) {
    case "let":
    case "assign":
      return { ...s, value: m(s.value) };
    case "mapSet":
      return { ...s, key: mk(s.key), value: m(s.value) };
    case "mapAggregate":
      return { ...s, key: mk(s.key), args: s.args.map(m) };
    case "mapDelete":
      return { ...s, key: mk(s.key) };
    case "if":
      return { ...s, cond: m(s.cond), then: mapStmts(s.then, f), else: mapStmts(s.else, f) };
    case "emit":
      return { ...s, fields: s.fields.map((fl) => ({ name: fl.name, value: m(fl.value) })) };
    case "printf":
      return { ...s, args: s.args.map(m) };
    case "mapClear":
    case "return":
    case "printMap":
    case "exit":
      return s;
  }
}

/** True when some expression in the statements (or the filter) satisfies `test`. */
export function someExpr(filter: Expr | null, body: Stmt[], test: (e: Expr) => boolean): boolean {
  let found = false;
  const probe: ExprRewrite = (e) => {
    if (test(e)) found = true;
    return e;
  };
  const loc: SourceLoc = { file: "", line: 0, column: 0 };
  if (filter) mapExpr(filter, probe, loc);
  mapStmts(body, probe);
  return found;
}
