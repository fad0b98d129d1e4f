// Visits every expression of a handler, for the program-wide facts the backend needs up front.
import type { Expr, Stmt } from "../ir/program.js";

function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "ternary":
      return [e.cond, e.then, e.else];
    case "mapGet":
      return e.key ?? [];
    case "structCast":
    case "field":
    case "tupleGet":
    case "deref":
    case "intCast":
      return [e.operand];
    case "tuple":
      return e.elements;
    case "call":
      return e.args;
    case "sizedStr":
      return [e.ptr, e.len];
    default:
      return [];
  }
}

export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const c of childrenOf(e)) walkExpr(c, visit);
}

/** Visits every expression of `stmts`; `enter` sees each statement first (nested ones included). */
export function walkStmts(stmts: Stmt[], visit: (e: Expr) => void, enter?: (s: Stmt) => void): void {
  for (const s of stmts) {
    enter?.(s);
    switch (s.kind) {
      case "let":
      case "assign":
        walkExpr(s.value, visit);
        break;
      case "mapSet":
        s.key?.forEach((k) => walkExpr(k, visit));
        walkExpr(s.value, visit);
        break;
      case "mapAggregate":
        s.key?.forEach((k) => walkExpr(k, visit));
        s.args.forEach((a) => walkExpr(a, visit));
        break;
      case "mapDelete":
        s.key?.forEach((k) => walkExpr(k, visit));
        break;
      case "if":
        walkExpr(s.cond, visit);
        walkStmts(s.then, visit, enter);
        walkStmts(s.else, visit, enter);
        break;
      case "emit":
        s.fields.forEach((f) => walkExpr(f.value, visit));
        break;
      case "printf":
        s.args.forEach((a) => walkExpr(a, visit));
        break;
      default:
        break;
    }
  }
}
