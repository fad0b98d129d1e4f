// Statements: at build time (a module's top level, a library function's body) they declare things;
// inside a handler they become IR statements.
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { Expr, Stmt } from "../ir/program.js";
import * as msg from "../diagnostics/messages.js";
import type { Evaluator } from "./evaluator.js";
import { Env, truthy, type Value } from "./values.js";
import { intFromAlias } from "./value-types.js";
import { asI64, wrapTo } from "./int-semantics.js";
import { uniqueLocal, type HandlerState, type ProbeKind, type Scope } from "./scope.js";
import { locOnly } from "./source-loc.js";

const LOOP_HINT = "A handler runs to completion in the kernel: unroll by hand, or keep state in a map across firings.";

function loopKindName(s: ts.Statement): string | null {
  switch (s.kind) {
    case tsv.SyntaxKind.ForStatement: return "A `for` loop";
    case tsv.SyntaxKind.ForOfStatement: return "A `for…of` loop";
    case tsv.SyntaxKind.ForInStatement: return "A `for…in` loop";
    case tsv.SyntaxKind.WhileStatement: return "A `while` loop";
    case tsv.SyntaxKind.DoStatement: return "A `do…while` loop";
  }
  return null;
}

function otherStatementName(s: ts.Statement): string {
  switch (s.kind) {
    case tsv.SyntaxKind.TryStatement: return "`try`/`catch`";
    case tsv.SyntaxKind.ThrowStatement: return "`throw`";
    case tsv.SyntaxKind.SwitchStatement: return "`switch`";
    case tsv.SyntaxKind.ClassDeclaration: return "A class";
    case tsv.SyntaxKind.FunctionDeclaration: return "A function declaration";
    case tsv.SyntaxKind.LabeledStatement: return "A labeled statement";
    case tsv.SyntaxKind.BreakStatement: return "`break`";
    case tsv.SyntaxKind.ContinueStatement: return "`continue`";
    case tsv.SyntaxKind.EnumDeclaration: return "An enum";
    case tsv.SyntaxKind.WithStatement: return "`with`";
    case tsv.SyntaxKind.DebuggerStatement: return "`debugger`";
  }
  return `A ${tsv.SyntaxKind[s.kind]}`;
}

// ---------------------------------------------------------------- build time

/**
 * Runs statements at build time. Returns the value of a `return` (library functions), or undefined.
 * Function declarations are hoisted first, as JavaScript does.
 */
export function runBuildStatements(ev: Evaluator, stmts: readonly ts.Statement[], scope: Scope, moduleTop: boolean): Value | undefined {
  for (const s of stmts) {
    if (tsv.isFunctionDeclaration(s) && s.name && s.body) {
      const sym = ev.checker.getSymbolAtLocation(s.name);
      if (sym) scope.env.set(sym, { k: "fn", node: s, env: scope.env, name: s.name.text });
    }
  }
  for (const s of stmts) {
    let result: Value | undefined;
    let returned = false;
    ev.guard(() => {
      const r = runBuildStatement(ev, s, scope, moduleTop);
      if (r) {
        returned = true;
        result = r.value;
      }
    }, s);
    if (returned) return result;
  }
  return undefined;
}

function runBuildStatement(ev: Evaluator, s: ts.Statement, scope: Scope, moduleTop: boolean): { value: Value } | null {
  if (
    tsv.isImportDeclaration(s) || tsv.isImportEqualsDeclaration(s) || tsv.isExportDeclaration(s) || tsv.isTypeAliasDeclaration(s) ||
    tsv.isInterfaceDeclaration(s) || tsv.isEmptyStatement(s) || tsv.isFunctionDeclaration(s) ||
    (tsv.isModuleDeclaration(s) && (s.flags & tsv.NodeFlags.Namespace) === 0)
  ) {
    // Imports are followed lazily through the checker's symbols; a `declare module` has no code.
    if (tsv.isImportDeclaration(s) && !s.importClause?.isTypeOnly) importModule(ev, s);
    return null;
  }
  if (tsv.isVariableStatement(s)) {
    // `declare const x: T` describes something outside the probe: nothing to evaluate.
    if (tsv.getCombinedModifierFlags(s.declarationList.declarations[0]!) & tsv.ModifierFlags.Ambient) return null;
    for (const d of s.declarationList.declarations) {
      try {
        if (!d.initializer) ev.fail(msg.localWithoutInitializer(ev.spanOf(d), d.name.getText()));
        const hint = tsv.isIdentifier(d.name) ? d.name.text : undefined;
        ev.bindPattern(d.name, ev.expr(d.initializer, scope, hint), scope);
      } catch (err) {
        ev.markFailed(d.name);
        throw err;
      }
    }
    return null;
  }
  if (tsv.isExpressionStatement(s)) {
    ev.expr(s.expression, scope);
    return null;
  }
  if (tsv.isIfStatement(s)) {
    const t = truthy(ev.expr(s.expression, scope));
    if (t === null) ev.fail(msg.nonCompileTimeCondition(ev.spanOf(s.expression)));
    const branch = t ? s.thenStatement : s.elseStatement;
    if (!branch) return null;
    const r = runBuildStatements(ev, tsv.isBlock(branch) ? branch.statements : [branch], { ...scope, env: new Env(scope.env) }, false);
    return r === undefined ? null : { value: r };
  }
  if (tsv.isBlock(s)) {
    const r = runBuildStatements(ev, s.statements, { ...scope, env: new Env(scope.env) }, false);
    return r === undefined ? null : { value: r };
  }
  if (tsv.isReturnStatement(s) && !moduleTop) {
    return { value: s.expression ? ev.expr(s.expression, scope) : { k: "undef" } };
  }
  if (tsv.isForOfStatement(s) && !s.awaitModifier) {
    // Build-time expansion: one set of probes per element of a constant array.
    const list = ev.expr(s.expression, scope);
    if (list.k !== "arr") ev.fail(msg.notCompileTime(ev.spanOf(s.expression), "The array a top-level `for…of` walks"));
    const init = s.initializer;
    if (!tsv.isVariableDeclarationList(init) || init.declarations.length !== 1) ev.fail(msg.unsupportedTopLevel(ev.spanOf(init), "This loop head"));
    for (const item of list.items) {
      const inner: Scope = { ...scope, env: new Env(scope.env) };
      ev.bindPattern(init.declarations[0]!.name, item, inner);
      const r = runBuildStatements(ev, tsv.isBlock(s.statement) ? s.statement.statements : [s.statement], inner, false);
      if (r !== undefined) return { value: r };
    }
    return null;
  }
  ev.fail(msg.unsupportedTopLevel(ev.spanOf(s), loopKindName(s) ?? otherStatementName(s)));
}

/** Evaluates an imported probe module (its top-level probes are declared, like an ES import runs it). */
function importModule(ev: Evaluator, s: ts.ImportDeclaration): void {
  const sym = ev.checker.getSymbolAtLocation(s.moduleSpecifier);
  const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
  if (decl && tsv.isSourceFile(decl) && !ev.isDslNode(decl) && !decl.isDeclarationFile) ev.evaluateModule(decl, s.moduleSpecifier);
}

// ---------------------------------------------------------------- handlers

export interface LoweredHandler {
  body: Stmt[];
  filter: Expr | null;
}

/** Lowers a handler function (its parameter bound to the probe's context) and its `when` filter. */
export function lowerHandler(
  ev: Evaluator,
  fn: Value,
  ctx: Value | null,
  probeKind: ProbeKind,
  when: Value | undefined,
  at: ts.Node,
): LoweredHandler {
  if (fn.k !== "fn") ev.fail(msg.notCompileTime(ev.spanOf(at), "A probe's handler (a function)"));
  const handler: HandlerState = { probeKind, locals: new Set(), filter: false };
  let filter: Expr | null = null;
  if (when && when.k !== "undef") {
    if (when.k !== "fn") ev.fail(msg.filterNotExpression(ev.spanOf(at)));
    const f = when.node;
    const body = f.body;
    const expr = body && !tsv.isBlock(body) ? body : body && body.statements.length === 1 && tsv.isReturnStatement(body.statements[0]!) ? body.statements[0].expression : undefined;
    if (!expr || f.parameters.length > 0) ev.fail(msg.filterNotExpression(ev.spanOf(f)));
    const out: Stmt[] = [];
    const scope: Scope = { env: new Env(when.env), handler: { ...handler, filter: true }, out };
    filter = ev.toExpr(ev.expr(expr, scope), expr).expr;
    if (out.length > 0) ev.fail(msg.filterNotExpression(ev.spanOf(f)));
  }
  const node = fn.node;
  if (tsv.getCombinedModifierFlags(node as ts.Declaration) & tsv.ModifierFlags.Async) ev.fail(msg.asyncInHandler(ev.spanOf(node)));
  if (tsv.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).asteriskToken) ev.fail(msg.unsupportedExpression(ev.spanOf(node), "A generator"));
  const env = new Env(fn.env);
  const param = node.parameters[0];
  if (param) {
    if (!tsv.isIdentifier(param.name)) ev.fail(msg.destructuringParameter(ev.spanOf(param)));
    const sym = ev.checker.getSymbolAtLocation(param.name);
    if (sym && ctx) env.set(sym, ctx);
  }
  const out: Stmt[] = [];
  const scope: Scope = { env, handler, out };
  const body = node.body;
  if (body && tsv.isBlock(body)) lowerStatements(ev, body.statements, scope);
  else if (body) ev.guard(() => lowerExpressionStatement(ev, body, scope), body);
  return { body: out, filter };
}

export function lowerStatements(ev: Evaluator, stmts: readonly ts.Statement[], scope: Scope): void {
  for (const s of stmts) ev.guard(() => lowerStatement(ev, s, scope), s);
}

function lowerExpressionStatement(ev: Evaluator, e: ts.Expression, scope: Scope): void {
  const before = scope.out!.length;
  const v = ev.expr(e, scope);
  if (v.k !== "void" && scope.out!.length === before) ev.diagnostics.push(msg.noEffect(ev.spanOf(e)));
}

function lowerStatement(ev: Evaluator, s: ts.Statement, scope: Scope): void {
  const out = scope.out!;
  const loc = locOnly(ev.spanOf(s));
  if (tsv.isExpressionStatement(s)) return lowerExpressionStatement(ev, s.expression, scope);
  if (tsv.isVariableStatement(s)) {
    const mutable = (s.declarationList.flags & (tsv.NodeFlags.Let | tsv.NodeFlags.Const)) !== tsv.NodeFlags.Const;
    for (const d of s.declarationList.declarations) {
      if (!tsv.isIdentifier(d.name)) ev.fail(msg.unsupportedStatement(ev.spanOf(d.name), "Destructuring in a handler", "Read each value into its own variable."));
      if (!d.initializer) ev.fail(msg.localWithoutInitializer(ev.spanOf(d), d.name.text));
      const sym = ev.checker.getSymbolAtLocation(d.name)!;
      let v: Value;
      try {
        v = ev.expr(d.initializer, scope, d.name.text);
      } catch (err) {
        ev.failed.add(sym);
        throw err;
      }
      // `let x: u32 = …` declares a u32: the value is narrowed to it (docs/expressions.md), and
      // bpftrace's variable gets that type through the cast.
      const declared = d.type && tsv.isTypeReferenceNode(d.type) && tsv.isIdentifier(d.type.typeName) ? intFromAlias(d.type.typeName.text) : undefined;
      if (declared && !mutable && (v.k === "int" || v.k === "bool")) {
        // A typed constant stays a build-time constant (usable where one is needed), wrapped to its type.
        const value = v.k === "int" ? v.value : v.value ? 1n : 0n;
        scope.env.set(sym, { k: "int", value: asI64(wrapTo(value, declared)) });
        continue;
      }
      const differs = declared && v.k === "expr" && (v.type.kind !== "int" || v.type.bits !== declared.bits || v.type.signed !== declared.signed);
      if (declared && (mutable ? v.k === "expr" || v.k === "int" || v.k === "bool" : differs)) {
        const name = uniqueLocal(scope.handler!, d.name.text);
        // A literal gets a real cast: bpftrace 0.17 would type a bare one int64.
        const value: Expr = v.k === "expr" ? ev.coerce(v, declared, d.initializer) : { kind: "intCast", type: declared, operand: ev.toExpr(v, d.initializer).expr };
        out.push({ kind: "let", name, value, loc: locOnly(ev.spanOf(d)) });
        scope.env.set(sym, { k: "expr", expr: { kind: "local", name }, type: declared });
        continue;
      }
      // Constants and context objects are bound, not stored: they are inlined where used.
      const storable = v.k === "expr" || v.k === "record" || v.k === "tuple" || mutable;
      const alias = !mutable && (v.k !== "expr" || v.type.kind === "sizedString" || v.expr.kind === "builtin" || v.expr.kind === "param");
      if (!storable || alias) {
        scope.env.set(sym, v);
        continue;
      }
      const { expr, type } = ev.toExpr(v, d.initializer);
      const name = uniqueLocal(scope.handler!, d.name.text);
      out.push({ kind: "let", name, value: expr, loc: locOnly(ev.spanOf(d)) });
      scope.env.set(sym, { k: "expr", expr: { kind: "local", name }, type });
    }
    return;
  }
  if (tsv.isIfStatement(s)) {
    const cond = ev.expr(s.expression, scope);
    const t = truthy(cond);
    if (t !== null) {
      // Known at build time (an option, a constant): only the taken branch is lowered.
      const branch = t ? s.thenStatement : s.elseStatement;
      if (branch) lowerStatements(ev, tsv.isBlock(branch) ? branch.statements : [branch], { ...scope, env: new Env(scope.env) });
      return;
    }
    const thenOut: Stmt[] = [];
    const elseOut: Stmt[] = [];
    lowerStatements(ev, tsv.isBlock(s.thenStatement) ? s.thenStatement.statements : [s.thenStatement], { ...scope, env: new Env(scope.env), out: thenOut });
    if (s.elseStatement) {
      lowerStatements(ev, tsv.isBlock(s.elseStatement) ? s.elseStatement.statements : [s.elseStatement], { ...scope, env: new Env(scope.env), out: elseOut });
    }
    out.push({ kind: "if", cond: ev.toExpr(cond, s.expression).expr, then: thenOut, else: elseOut, loc });
    return;
  }
  if (tsv.isReturnStatement(s)) {
    if (s.expression) ev.fail(msg.returnWithValue(ev.spanOf(s)));
    out.push({ kind: "return", loc });
    return;
  }
  if (tsv.isBlock(s)) return lowerStatements(ev, s.statements, { ...scope, env: new Env(scope.env) });
  if (tsv.isEmptyStatement(s)) return;
  if (tsv.isFunctionDeclaration(s)) ev.fail(msg.functionInHandler(ev.spanOf(s)));
  const loop = loopKindName(s);
  if (loop) ev.fail(msg.unsupportedStatement(ev.spanOf(s.getChildAt(0)), loop, LOOP_HINT));
  ev.fail(msg.unsupportedStatement(ev.spanOf(s.getChildAt(0)), otherStatementName(s)));
}

/** `x = value` for a handler variable declared with `let`. */
export function assignLocal(ev: Evaluator, target: ts.Expression, value: Value, scope: Scope): void {
  if (!scope.handler) ev.fail(msg.unsupportedTopLevel(ev.spanOf(target), "An assignment"));
  if (!tsv.isIdentifier(target)) ev.fail(msg.unsupportedAssignmentTarget(ev.spanOf(target), target.getText()));
  const sym = ev.checker.getSymbolAtLocation(target);
  const cur = sym ? scope.env.get(sym) : undefined;
  if (!cur || cur.k !== "expr" || cur.expr.kind !== "local") ev.fail(msg.unsupportedAssignmentTarget(ev.spanOf(target), `'${target.text}'`));
  const expr = ev.coerce(value, cur.type, target);
  scope.out!.push({ kind: "assign", name: cur.expr.name, value: expr, loc: locOnly(ev.spanOf(target.parent)) });
}
