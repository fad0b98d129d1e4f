// The evaluator: runs a probe module's top level at build time and lowers handler bodies to IR.
// One `expr()` serves both: at build time values must be compile-time (numbers, objects, maps…);
// inside a handler an expression may also yield a run-time IR expression. Anything outside the
// supported subset is a diagnostic at its own node, never a silent drop.
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { BinaryOp, Expr, ValueType } from "../ir/program.js";
import { DiagnosticError, type ProbeDiagnostic } from "../diagnostics/diagnostic.js";
import * as msg from "../diagnostics/messages.js";
import type { ProgramBuilder } from "./program-builder.js";
import type { SpanOf } from "./source-loc.js";
import { Env, describe, truthy, type Value } from "./values.js";
import { asI64, binaryResultType, fitsIn64, foldConstants } from "./int-semantics.js";
import { BOOL, I64, isStringLike, POINTER, STRING, TypeReader, U32, U64 } from "./value-types.js";
import { TracepointTable } from "./tracepoints.js";
import type { Scope } from "./scope.js";
import { elementOf, memberOf, methodCall } from "./members.js";
import { callDsl, dslConstant } from "./dsl-calls.js";
import { runBuildStatements, assignLocal } from "./statements.js";

const BUILTINS: Record<string, { name: Extract<Expr, { kind: "builtin" }>["name"]; type: ValueType }> = {
  pid: { name: "pid", type: U32 },
  tid: { name: "tid", type: U32 },
  uid: { name: "uid", type: U32 },
  gid: { name: "gid", type: U32 },
  comm: { name: "comm", type: STRING },
  nsecs: { name: "nsecs", type: U64 },
  elapsed: { name: "elapsed", type: U64 },
  cpu: { name: "cpu", type: U32 },
  cgroup: { name: "cgroup", type: U64 },
  probe: { name: "probe", type: STRING },
  func: { name: "func", type: STRING },
  retval: { name: "retval", type: I64 },
};

const BINARY_OPS: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [tsv.SyntaxKind.PlusToken]: "+",
  [tsv.SyntaxKind.MinusToken]: "-",
  [tsv.SyntaxKind.AsteriskToken]: "*",
  [tsv.SyntaxKind.SlashToken]: "/",
  [tsv.SyntaxKind.PercentToken]: "%",
  [tsv.SyntaxKind.AmpersandToken]: "&",
  [tsv.SyntaxKind.BarToken]: "|",
  [tsv.SyntaxKind.CaretToken]: "^",
  [tsv.SyntaxKind.LessThanLessThanToken]: "<<",
  [tsv.SyntaxKind.GreaterThanGreaterThanToken]: ">>",
  [tsv.SyntaxKind.EqualsEqualsEqualsToken]: "==",
  [tsv.SyntaxKind.EqualsEqualsToken]: "==",
  [tsv.SyntaxKind.ExclamationEqualsEqualsToken]: "!=",
  [tsv.SyntaxKind.ExclamationEqualsToken]: "!=",
  [tsv.SyntaxKind.LessThanToken]: "<",
  [tsv.SyntaxKind.LessThanEqualsToken]: "<=",
  [tsv.SyntaxKind.GreaterThanToken]: ">",
  [tsv.SyntaxKind.GreaterThanEqualsToken]: ">=",
  [tsv.SyntaxKind.AmpersandAmpersandToken]: "&&",
  [tsv.SyntaxKind.BarBarToken]: "||",
};

const COMPOUND_ASSIGN: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [tsv.SyntaxKind.PlusEqualsToken]: "+",
  [tsv.SyntaxKind.MinusEqualsToken]: "-",
  [tsv.SyntaxKind.AsteriskEqualsToken]: "*",
  [tsv.SyntaxKind.SlashEqualsToken]: "/",
  [tsv.SyntaxKind.PercentEqualsToken]: "%",
  [tsv.SyntaxKind.AmpersandEqualsToken]: "&",
  [tsv.SyntaxKind.BarEqualsToken]: "|",
  [tsv.SyntaxKind.CaretEqualsToken]: "^",
  [tsv.SyntaxKind.LessThanLessThanEqualsToken]: "<<",
  [tsv.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ">>",
};

export interface EvaluatorOptions {
  defines: Record<string, string>;
}

export class Evaluator {
  readonly diagnostics: ProbeDiagnostic[] = [];
  readonly types: TypeReader;
  readonly tracepoints: TracepointTable;
  readonly usedDefines = new Set<string>();
  /** Library functions being expanded, to refuse recursion. */
  readonly callStack: ts.Node[] = [];
  private readonly modules = new Map<ts.SourceFile, { env: Env; done: boolean }>();
  private readonly importChain: string[] = [];

  constructor(
    readonly checker: ts.TypeChecker,
    readonly builder: ProgramBuilder,
    readonly spanOf: SpanOf,
    readonly dslDir: string,
    readonly options: EvaluatorOptions,
  ) {
    this.types = new TypeReader(checker, spanOf);
    this.tracepoints = new TracepointTable(checker, this.types, spanOf);
  }

  fail(d: ProbeDiagnostic): never {
    throw new DiagnosticError(d);
  }

  /** Runs `body`, turning a DiagnosticError into a reported diagnostic (so evaluation goes on with the next statement). */
  guard(body: () => void, node?: ts.Node): void {
    try {
      body();
    } catch (err) {
      if (err instanceof DiagnosticError) this.diagnostics.push(err.diagnostic);
      else if (err instanceof AlreadyReported) return;
      // A bug in the front end: report it at the statement being compiled instead of crashing.
      else this.diagnostics.push(msg.frontendInternalError(node ? this.spanOf(node) : undefined, err instanceof Error ? err.message : String(err)));
    }
  }

  /** Names whose declaration failed: uses of them stop quietly instead of repeating the error. */
  readonly failed = new Set<ts.Symbol>();

  markFailed(name: ts.BindingName): void {
    if (tsv.isIdentifier(name)) {
      const sym = this.checker.getSymbolAtLocation(name);
      if (sym) this.failed.add(sym);
      return;
    }
    for (const el of name.elements) if (!tsv.isOmittedExpression(el)) this.markFailed(el.name);
  }

  // ---------------------------------------------------------------- modules and names

  isDslNode(node: ts.Node): boolean {
    return node.getSourceFile().fileName.startsWith(this.dslDir + "/");
  }

  /** Evaluates a module's top level once (imports first, like ES modules) and returns its bindings. */
  evaluateModule(sf: ts.SourceFile, importedAt?: ts.Node): Env {
    const state = this.modules.get(sf);
    if (state) {
      if (!state.done && importedAt) this.fail(msg.circularImport(this.spanOf(importedAt), [...this.importChain, sf.fileName]));
      return state.env;
    }
    const env = new Env(null);
    this.modules.set(sf, { env, done: false });
    this.importChain.push(sf.fileName);
    runBuildStatements(this, sf.statements, { env, handler: null, out: null }, true);
    this.importChain.pop();
    this.modules.get(sf)!.done = true;
    return env;
  }

  symbolAt(node: ts.Node): ts.Symbol | undefined {
    if (tsv.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      return this.checker.getShorthandAssignmentValueSymbol(node.parent);
    }
    return this.checker.getSymbolAtLocation(node);
  }

  resolveIdentifier(id: ts.Identifier, scope: Scope): Value {
    if (id.text === "undefined") return { k: "undef" };
    let sym = this.symbolAt(id);
    if (!sym) this.fail(msg.unknownValue(this.spanOf(id), id.text));
    const local = scope.env.get(sym);
    if (local) return local;
    if (sym.flags & tsv.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const again = scope.env.get(sym);
    if (again) return again;
    if (this.failed.has(sym)) throw new AlreadyReported();
    const decl = sym.declarations?.[0];
    if (!decl) this.fail(msg.unknownValue(this.spanOf(id), id.text));
    if (this.isDslNode(decl)) return this.dslValue(sym.name, decl, id, scope);
    const sf = decl.getSourceFile();
    if (isModuleLevel(decl)) {
      const env = this.evaluateModule(sf);
      const v = env.get(sym);
      if (v) return v;
    }
    this.fail(msg.unknownValue(this.spanOf(id), id.text));
  }

  /** A member of the DSL's namespace import (`import * as p from "probec"; p.uprobe`). */
  dslNamespaceMember(node: ts.PropertyAccessExpression, scope: Scope): Value {
    let sym = this.checker.getSymbolAtLocation(node.name);
    if (sym && sym.flags & tsv.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (!sym || !decl) this.fail(msg.unknownValue(this.spanOf(node), node.getText()));
    return this.dslValue(sym.name, decl, node, scope);
  }

  private dslValue(name: string, decl: ts.Node, at: ts.Node, scope: Scope): Value {
    if (tsv.isSourceFile(decl)) return { k: "dsl", name: "*" };
    const builtin = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (builtin) {
      if (!scope.handler) this.fail(msg.contextOutsideHandler(this.spanOf(at), `'${name}'`));
      if (name === "retval" && !["uretprobe", "kretprobe"].includes(scope.handler.probeKind)) {
        this.fail(msg.notAvailableInProbe(this.spanOf(at), "'retval'", scope.handler.probeKind));
      }
      return { k: "expr", expr: { kind: "builtin", name: builtin.name }, type: builtin.type };
    }
    return dslConstant(this, name, decl) ?? { k: "dsl", name };
  }

  // ---------------------------------------------------------------- expressions

  expr(node: ts.Expression, scope: Scope, nameHint?: string): Value {
    switch (node.kind) {
      case tsv.SyntaxKind.NumericLiteral:
      case tsv.SyntaxKind.BigIntLiteral: {
        // The source text, not the checker's `.text`: TypeScript turns `0x1234567890abcdef` into a
        // JS number's decimal spelling and loses the low bits above 2^53.
        const text = node.getText().replace(/_/g, "").replace(/n$/, "");
        if (!/^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|[0-9]+)$/i.test(text)) this.fail(msg.nonIntegerNumber(this.spanOf(node), node.getText()));
        const value = BigInt(text);
        if (!fitsIn64(value)) this.fail(msg.integerOutOfRange(this.spanOf(node), node.getText()));
        // bpftrace types every literal int64: 2^63…2^64−1 are the same 64-bit patterns as negatives.
        return { k: "int", value: asI64(value) };
      }
      case tsv.SyntaxKind.StringLiteral:
      case tsv.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { k: "str", value: (node as ts.StringLiteral).text };
      case tsv.SyntaxKind.TrueKeyword:
        return { k: "bool", value: true };
      case tsv.SyntaxKind.FalseKeyword:
        return { k: "bool", value: false };
      case tsv.SyntaxKind.Identifier:
        return this.resolveIdentifier(node as ts.Identifier, scope);
    }
    if (tsv.isParenthesizedExpression(node) || tsv.isAsExpression(node) || tsv.isNonNullExpression(node) || tsv.isSatisfiesExpression(node) || tsv.isTypeAssertionExpression(node)) {
      return this.expr(node.expression, scope, nameHint);
    }
    if (tsv.isPropertyAccessExpression(node)) {
      if (node.questionDotToken) this.fail(msg.unsupportedExpression(this.spanOf(node), "Optional chaining (?.)"));
      return memberOf(this, this.expr(node.expression, scope), node.name.text, node, scope);
    }
    if (tsv.isElementAccessExpression(node)) {
      if (node.questionDotToken) this.fail(msg.unsupportedExpression(this.spanOf(node), "Optional chaining (?.)"));
      return elementOf(this, this.expr(node.expression, scope), this.expr(node.argumentExpression, scope), node);
    }
    if (tsv.isCallExpression(node)) return this.call(node, scope, nameHint);
    if (tsv.isBinaryExpression(node)) return this.binary(node, scope);
    if (tsv.isPrefixUnaryExpression(node)) return this.prefix(node, scope);
    if (tsv.isPostfixUnaryExpression(node)) return this.increment(node, node.operand, node.operator === tsv.SyntaxKind.PlusPlusToken ? "+" : "-", scope);
    if (tsv.isConditionalExpression(node)) return this.conditional(node, scope);
    if (tsv.isObjectLiteralExpression(node)) return this.object(node, scope);
    if (tsv.isArrayLiteralExpression(node)) {
      const items = node.elements.map((e) => {
        if (tsv.isSpreadElement(e)) this.fail(msg.unsupportedExpression(this.spanOf(e), "A spread (...)"));
        return this.expr(e, scope);
      });
      return scope.handler ? { k: "tuple", items } : { k: "arr", items };
    }
    if (tsv.isArrowFunction(node) || tsv.isFunctionExpression(node)) {
      if (scope.handler) this.fail(msg.functionInHandler(this.spanOf(node)));
      return { k: "fn", node, env: scope.env, name: nameHint ?? "anonymous function" };
    }
    if (tsv.isTemplateExpression(node)) {
      let text = node.head.text;
      for (const s of node.templateSpans) {
        const v = this.expr(s.expression, scope);
        if (v.k !== "str" && v.k !== "int") {
          this.fail(msg.unsupportedExpression(this.spanOf(node), "A template literal with run-time values outside printf()", "Use printf(`…${x}…`) or emit()."));
        }
        text += String(v.value) + s.literal.text;
      }
      return { k: "str", value: text };
    }
    if (tsv.isAwaitExpression(node)) this.fail(msg.asyncInHandler(this.spanOf(node)));
    this.fail(msg.unsupportedExpression(this.spanOf(node), describeSyntax(node)));
  }

  private call(node: ts.CallExpression, scope: Scope, nameHint?: string): Value {
    const callee = node.expression;
    if (tsv.isPropertyAccessExpression(callee)) {
      const recv = this.expr(callee.expression, scope);
      const viaMethod = methodCall(this, recv, callee.name.text, node, scope);
      if (viaMethod) return viaMethod;
      return this.callValue(memberOf(this, recv, callee.name.text, callee, scope), node, scope, nameHint);
    }
    return this.callValue(this.expr(callee, scope), node, scope, nameHint);
  }

  callValue(fn: Value, node: ts.CallExpression, scope: Scope, nameHint?: string): Value {
    if (fn.k === "dsl") return callDsl(this, fn.name, node, scope, nameHint);
    if (fn.k === "selector" || fn.k === "emitter") return methodCall(this, fn, "()", node, scope) ?? { k: "void" };
    if (fn.k === "fn") {
      if (scope.handler) this.fail(msg.unsupportedCall(this.spanOf(node.expression), node.expression.getText()));
      return this.invoke(fn, node.arguments.map((a) => this.expr(a, scope)), node);
    }
    this.fail(msg.unsupportedCall(this.spanOf(node.expression), node.expression.getText()));
  }

  /** Expands a library function at build time: binds its parameters and runs its body. */
  invoke(fn: Extract<Value, { k: "fn" }>, args: Value[], at: ts.Node): Value {
    if (this.callStack.includes(fn.node)) this.fail(msg.recursiveLibraryCall(this.spanOf(at), fn.name));
    const env = new Env(fn.env);
    const scope: Scope = { env, handler: null, out: null };
    fn.node.parameters.forEach((p, i) => {
      let v = args[i] ?? { k: "undef" };
      if (v.k === "undef" && p.initializer) v = this.expr(p.initializer, { env, handler: null, out: null });
      this.bindPattern(p.name, v, scope);
    });
    this.callStack.push(fn.node);
    try {
      const body = fn.node.body;
      if (!body) return { k: "undef" };
      if (tsv.isBlock(body)) return runBuildStatements(this, body.statements, scope, false) ?? { k: "undef" };
      return this.expr(body, scope);
    } finally {
      this.callStack.pop();
    }
  }

  /** Binds a name or an object/array destructuring pattern at build time. */
  bindPattern(name: ts.BindingName, v: Value, scope: Scope): void {
    if (tsv.isIdentifier(name)) {
      const sym = this.checker.getSymbolAtLocation(name);
      if (sym) scope.env.set(sym, v);
      return;
    }
    for (const el of name.elements) {
      if (tsv.isOmittedExpression(el)) continue;
      if (el.dotDotDotToken) this.fail(msg.unsupportedExpression(this.spanOf(el), "A rest pattern (...)"));
      let item: Value;
      if (tsv.isObjectBindingPattern(name)) {
        const key = el.propertyName ? el.propertyName.getText() : (el.name as ts.Identifier).text;
        item = v.k === "obj" ? (v.props.get(key) ?? { k: "undef" }) : { k: "undef" };
      } else {
        const idx = name.elements.indexOf(el);
        item = v.k === "arr" ? (v.items[idx] ?? { k: "undef" }) : { k: "undef" };
      }
      if (item.k === "undef" && el.initializer) item = this.expr(el.initializer, scope);
      this.bindPattern(el.name, item, scope);
    }
  }

  private object(node: ts.ObjectLiteralExpression, scope: Scope): Value {
    const props = new Map<string, Value>();
    const nodes = new Map<string, ts.Node>();
    for (const p of node.properties) {
      if (tsv.isPropertyAssignment(p)) {
        props.set(propertyName(p.name), this.expr(p.initializer, scope, propertyName(p.name)));
        nodes.set(propertyName(p.name), p.initializer);
      } else if (tsv.isShorthandPropertyAssignment(p)) {
        props.set(p.name.text, this.expr(p.name, scope));
        nodes.set(p.name.text, p.name);
      } else if (tsv.isSpreadAssignment(p) && !scope.handler) {
        const v = this.expr(p.expression, scope);
        if (v.k !== "obj") this.fail(msg.notCompileTime(this.spanOf(p), "A spread object"));
        for (const [k, x] of v.props) props.set(k, x);
      } else if (tsv.isMethodDeclaration(p) && !scope.handler) {
        props.set(propertyName(p.name), { k: "fn", node: p, env: scope.env, name: propertyName(p.name) });
      } else {
        this.fail(msg.unsupportedExpression(this.spanOf(p), describeSyntax(p)));
      }
    }
    return scope.handler ? { k: "record", fields: props, nodes } : { k: "obj", props };
  }

  private conditional(node: ts.ConditionalExpression, scope: Scope): Value {
    const cond = this.expr(node.condition, scope);
    const t = truthy(cond);
    if (t !== null) return this.expr(t ? node.whenTrue : node.whenFalse, scope);
    const a = this.toExpr(this.expr(node.whenTrue, scope), node.whenTrue);
    const b = this.toExpr(this.expr(node.whenFalse, scope), node.whenFalse);
    return { k: "expr", expr: { kind: "ternary", cond: this.toExpr(cond, node.condition).expr, then: a.expr, else: b.expr }, type: a.type };
  }

  private prefix(node: ts.PrefixUnaryExpression, scope: Scope): Value {
    if (node.operator === tsv.SyntaxKind.PlusPlusToken) return this.increment(node, node.operand, "+", scope);
    if (node.operator === tsv.SyntaxKind.MinusMinusToken) return this.increment(node, node.operand, "-", scope);
    const v = this.expr(node.operand, scope);
    switch (node.operator) {
      case tsv.SyntaxKind.ExclamationToken: {
        const t = truthy(v);
        if (t !== null) return { k: "bool", value: !t };
        return { k: "expr", expr: { kind: "unary", op: "!", operand: this.toExpr(v, node.operand).expr }, type: BOOL };
      }
      case tsv.SyntaxKind.MinusToken:
      case tsv.SyntaxKind.TildeToken: {
        const op = node.operator === tsv.SyntaxKind.MinusToken ? "-" : "~";
        // −(−2^63) is −2^63 again: the 64-bit wrap.
        if (v.k === "int") return { k: "int", value: asI64(op === "-" ? -v.value : ~v.value) };
        const e = boolAsInt64(this.toExpr(v, node.operand));
        // bpftrace keeps the operand's own type (and width) for `-` and `~`.
        return { k: "expr", expr: { kind: "unary", op, operand: e.expr }, type: e.type.kind === "int" ? e.type : U64 };
      }
      case tsv.SyntaxKind.PlusToken:
        return v;
    }
    this.fail(msg.unsupportedOperator(this.spanOf(node), tsv.tokenToString(node.operator) ?? "?"));
  }

  private increment(node: ts.Node, operand: ts.Expression, op: "+" | "-", scope: Scope): Value {
    if (!scope.handler) this.fail(msg.unsupportedTopLevel(this.spanOf(node), "An increment"));
    const cur = this.toExpr(this.expr(operand, scope), operand);
    assignLocal(this, operand, { k: "expr", expr: { kind: "binary", op, left: cur.expr, right: { kind: "int", value: "1" } }, type: cur.type }, scope);
    return { k: "void" };
  }

  private binary(node: ts.BinaryExpression, scope: Scope): Value {
    const kind = node.operatorToken.kind;
    if (kind === tsv.SyntaxKind.EqualsToken) {
      assignLocal(this, node.left, this.expr(node.right, scope), scope);
      return { k: "void" };
    }
    const compound = COMPOUND_ASSIGN[kind];
    if (compound) {
      const value = this.arith(compound, this.expr(node.left, scope), this.expr(node.right, scope), node);
      assignLocal(this, node.left, value, scope);
      return { k: "void" };
    }
    const op = BINARY_OPS[kind];
    if (!op) this.fail(msg.unsupportedOperator(this.spanOf(node.operatorToken), node.operatorToken.getText()));
    const left = this.expr(node.left, scope);
    if (op === "&&" || op === "||") {
      const t = truthy(left);
      if (t !== null) {
        const chosen = t === (op === "&&") ? this.expr(node.right, scope) : left;
        // In a handler, integer `&&`/`||` give 0 or 1 as in bpftrace (not JavaScript's operand).
        return scope.handler && left.k !== "str" ? this.asBoolean(chosen) : chosen;
      }
      const right = this.expr(node.right, scope);
      return {
        k: "expr",
        expr: { kind: "binary", op, left: this.toExpr(left, node.left).expr, right: this.toExpr(right, node.right).expr },
        type: BOOL,
      };
    }
    return this.arith(op, left, this.expr(node.right, scope), node);
  }

  /** A non-logical binary operation: folded when both sides are known, lowered otherwise. */
  arith(op: BinaryOp, left: Value, right: Value, node: ts.BinaryExpression): Value {
    // In arithmetic and comparisons true and false are the int64s 1 and 0 (docs/expressions.md).
    const asInt = (v: Value): Value => (v.k === "bool" ? { k: "int", value: v.value ? 1n : 0n } : v);
    if (left.k !== "str" && right.k !== "str") {
      left = asInt(left);
      right = asInt(right);
    }
    if (left.k === "int" && right.k === "int") {
      const folded = foldConstants(op, left.value, right.value);
      if (folded?.ok) return typeof folded.value === "boolean" ? { k: "bool", value: folded.value } : { k: "int", value: folded.value };
      if (folded) this.fail(this.constantFault(folded.reason, node, `${left.value} ${op} ${right.value}`, folded.exact));
    }
    // A constant divisor of 0 or shift count outside 0…63 next to a run-time value: LLVM would fold
    // it as undefined behaviour, so it is refused like a constant one.
    if (right.k === "int" && (op === "/" || op === "%") && right.value === 0n) this.fail(this.constantFault("divisionByZero", node, node.getText()));
    if (right.k === "int" && (op === "<<" || op === ">>") && (right.value < 0n || right.value > 63n)) this.fail(this.constantFault("shiftCount", node, node.getText()));
    const isConst = (v: Value) => v.k === "str" || v.k === "int" || v.k === "bool";
    if (op === "+" && isConst(left) && isConst(right) && (left.k === "str" || right.k === "str")) {
      return { k: "str", value: String((left as { value: unknown }).value) + String((right as { value: unknown }).value) };
    }
    if (left.k === "str" && right.k === "str") {
      if (op === "==" || op === "!=") return { k: "bool", value: (left.value === right.value) === (op === "==") };
    }
    if ((left.k === "bool" || left.k === "int") && (right.k === "bool" || right.k === "int") && (op === "==" || op === "!=")) {
      const a = left.k === "bool" ? BigInt(left.value) : left.value;
      const b = right.k === "bool" ? BigInt(right.value) : right.value;
      return { k: "bool", value: (a === b) === (op === "==") };
    }
    const a = boolAsInt64(this.toExpr(left, node.left));
    const b = boolAsInt64(this.toExpr(right, node.right));
    const comparison = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
    if (isStringLike(a.type) || isStringLike(b.type)) {
      if (!(op === "==" || op === "!=") || !(isStringLike(a.type) && isStringLike(b.type))) {
        this.fail(msg.stringOperator(this.spanOf(node.operatorToken), node.operatorToken.getText()));
      }
    }
    if (!comparison && (a.type.kind === "pointer" || b.type.kind === "pointer")) {
      // A `ptr` is a byte address: bpftrace would scale `p + 2` by the pointee's size (C pointer
      // arithmetic on `struct sockaddr *`), so the pointer is made an integer first.
      const asInt = (x: { expr: Expr; type: ValueType }): Expr => (x.type.kind === "pointer" ? { kind: "intCast", type: U64, operand: x.expr } : x.expr);
      return { k: "expr", expr: { kind: "binary", op, left: asInt(a), right: asInt(b) }, type: op === "+" || op === "-" ? POINTER : U64 };
    }
    const intOf = (t: ValueType) => (t.kind === "int" ? t : U64);
    const type = binaryResultType(op, intOf(a.type), intOf(b.type));
    // A shift by 64 or more and a division by 0 are undefined to LLVM, which bpftrace compiles
    // with: it folds them to garbage whenever it can tell (`x % (y - y)`, `1 << (u8 + 64)`). The
    // documented results — the count taken modulo 64, x / 0 = 0, x % 0 = x, what BPF itself does —
    // are made explicit so that no optimisation can change them.
    const knownRight = right.k === "int"; // already refused when 0 or outside 0…63
    if ((op === "<<" || op === ">>") && !knownRight) {
      const count: Expr = { kind: "binary", op: "&", left: b.expr, right: { kind: "int", value: "63" } };
      return { k: "expr", expr: { kind: "binary", op, left: a.expr, right: count }, type };
    }
    if ((op === "/" || op === "%") && !knownRight) {
      const nonZero: Expr = { kind: "binary", op: "!=", left: b.expr, right: { kind: "int", value: "0" } };
      // `a + 0`: a widened to 64 bits by its own signedness, as the operation would have.
      const byZero: Expr = op === "/" ? { kind: "int", value: "0" } : { kind: "binary", op: "+", left: a.expr, right: { kind: "int", value: "0" } };
      const divided: Expr = { kind: "binary", op, left: a.expr, right: b.expr };
      return { k: "expr", expr: { kind: "intCast", type, operand: { kind: "ternary", cond: nonZero, then: divided, else: byZero } }, type };
    }
    return { k: "expr", expr: { kind: "binary", op, left: a.expr, right: b.expr }, type: comparison ? BOOL : type };
  }

  /** An integer value as 0/1 (bpftrace's `!!x`); other values are left as they are. */
  private asBoolean(v: Value): Value {
    if (v.k === "int") return { k: "bool", value: v.value !== 0n };
    if (v.k !== "expr" || v.type.kind === "bool" || (v.type.kind !== "int" && v.type.kind !== "pointer")) return v;
    return { k: "expr", expr: { kind: "unary", op: "!", operand: { kind: "unary", op: "!", operand: v.expr } }, type: BOOL };
  }

  private constantFault(reason: "overflow" | "shiftCount" | "divisionByZero", node: ts.BinaryExpression, text: string, exact?: bigint): ProbeDiagnostic {
    const at = this.spanOf(reason === "overflow" ? node : node.right);
    if (reason === "overflow") return msg.constantOverflow(at, text, exact ?? 0n);
    if (reason === "shiftCount") return msg.shiftCountOutOfRange(at, node.right.getText());
    return msg.constantDivisionByZero(at, node.operatorToken.getText());
  }

  // ---------------------------------------------------------------- run-time values

  /** The IR expression for a value used at run time (compared, stored, printed). */
  toExpr(v: Value, node: ts.Node): { expr: Expr; type: ValueType } {
    switch (v.k) {
      case "int": return { expr: { kind: "int", value: v.value.toString() }, type: I64 };
      case "str": return { expr: { kind: "str", value: v.value }, type: STRING };
      case "bool": return { expr: { kind: "bool", value: v.value }, type: BOOL };
      case "expr": return { expr: v.expr, type: v.type };
      case "struct":
        if (v.pointer) return { expr: v.expr, type: POINTER };
        break;
      case "record": {
        const parts = [...v.fields].map(([name, x]) => ({ name, ...this.toExpr(x, v.nodes?.get(name) ?? node) }));
        return { expr: { kind: "tuple", elements: parts.map((p) => p.expr) }, type: { kind: "record", fields: parts.map((p) => ({ name: p.name, type: p.type })) } };
      }
      case "tuple": {
        const parts = v.items.map((x) => this.toExpr(x, node));
        return { expr: { kind: "tuple", elements: parts.map((p) => p.expr) }, type: { kind: "tuple", elements: parts.map((p) => p.type) } };
      }
    }
    this.fail(msg.valueNotStorable(this.spanOf(node), capitalise(describe(v))));
  }

  /** Converts a value to a declared type (a map slot, an event field): narrows integers, orders record fields. */
  coerce(v: Value, type: ValueType, node: ts.Node): Expr {
    if (type.kind === "record" && v.k === "record") {
      return { kind: "tuple", elements: type.fields.map((f) => this.coerce(v.fields.get(f.name) ?? { k: "int", value: 0n }, f.type, v.nodes?.get(f.name) ?? node)) };
    }
    if (type.kind === "tuple" && (v.k === "tuple" || v.k === "arr")) {
      return { kind: "tuple", elements: type.elements.map((t, i) => this.coerce(v.items[i] ?? { k: "int", value: 0n }, t, node)) };
    }
    const e = this.toExpr(v, node);
    if (type.kind === "int") {
      if (e.expr.kind === "int") return { kind: "int", value: e.expr.value, type };
      if (e.type.kind !== "int" || e.type.bits !== type.bits || e.type.signed !== type.signed) return { kind: "intCast", type, operand: e.expr };
    }
    return e.expr;
  }
}

/**
 * A comparison's 0/1 used as a number becomes an int64: bpftrace 0.17 gives comparison results
 * an unsigned type in some places and a signed one in others, so probec casts and means int64.
 */
function boolAsInt64(x: { expr: Expr; type: ValueType }): { expr: Expr; type: ValueType } {
  return x.type.kind === "bool" ? { expr: { kind: "intCast", type: I64, operand: x.expr }, type: I64 } : x;
}

/** Thrown when a value depends on a declaration whose error was already reported. */
export class AlreadyReported extends Error {}

export function isModuleLevel(decl: ts.Node): boolean {
  if (tsv.isFunctionDeclaration(decl) || tsv.isClassDeclaration(decl)) return tsv.isSourceFile(decl.parent);
  if (tsv.isVariableDeclaration(decl)) return tsv.isVariableStatement(decl.parent.parent) && tsv.isSourceFile(decl.parent.parent.parent);
  if (tsv.isBindingElement(decl)) {
    let n: ts.Node = decl;
    while (tsv.isBindingElement(n) || tsv.isObjectBindingPattern(n) || tsv.isArrayBindingPattern(n)) n = n.parent;
    return isModuleLevel(n);
  }
  return false;
}

export function propertyName(name: ts.PropertyName): string {
  if (tsv.isIdentifier(name) || tsv.isStringLiteral(name) || tsv.isNumericLiteral(name) || tsv.isPrivateIdentifier(name)) return name.text;
  return name.getText();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A readable name for a syntax kind in messages ("A `new` expression", "A class"). */
export function describeSyntax(node: ts.Node): string {
  switch (node.kind) {
    case tsv.SyntaxKind.NewExpression: return "A `new` expression";
    case tsv.SyntaxKind.ClassExpression: case tsv.SyntaxKind.ClassDeclaration: return "A class";
    case tsv.SyntaxKind.TypeOfExpression: return "`typeof`";
    case tsv.SyntaxKind.DeleteExpression: return "`delete`";
    case tsv.SyntaxKind.VoidExpression: return "`void`";
    case tsv.SyntaxKind.NullKeyword: return "`null`";
    case tsv.SyntaxKind.ThisKeyword: return "`this`";
    case tsv.SyntaxKind.RegularExpressionLiteral: return "A regular expression";
    case tsv.SyntaxKind.TaggedTemplateExpression: return "A tagged template";
    case tsv.SyntaxKind.YieldExpression: return "`yield`";
    case tsv.SyntaxKind.SpreadAssignment: return "A spread (...)";
    case tsv.SyntaxKind.MethodDeclaration: return "A method";
    case tsv.SyntaxKind.GetAccessor: case tsv.SyntaxKind.SetAccessor: return "An accessor";
    default: return `A ${tsv.SyntaxKind[node.kind]}`;
  }
}
