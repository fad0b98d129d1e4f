// Property reads and method calls on values: maps, contexts, argument readers, struct casts,
// records, event sets, function selectors and probe chains.
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { ArgRead, Expr, IntType, ValueType } from "../ir/program.js";
import * as msg from "../diagnostics/messages.js";
import type { Evaluator } from "./evaluator.js";
import { describe, truthy, type EventSetValue, type MapValue, type Value } from "./values.js";
import type { Scope } from "./scope.js";
import { BOOL, DEFAULT_STRING_LIMIT, I64, intFromAlias, POINTER, STRING, U64 } from "./value-types.js";
import { locOnly } from "./source-loc.js";
import { declareUprobe, emitEvent, pointFromSelector } from "./dsl-calls.js";

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function memberOf(ev: Evaluator, recv: Value, name: string, node: ts.PropertyAccessExpression, scope: Scope): Value {
  const at = ev.spanOf(node.name);
  switch (recv.k) {
    case "obj":
      return recv.props.get(name) ?? { k: "undef" };
    case "record":
      return recv.fields.get(name) ?? ev.fail(msg.unknownMember(at, "This record", name));
    case "arr":
      if (name === "length") return { k: "int", value: BigInt(recv.items.length) };
      break;
    case "str":
      if (name === "length") return { k: "int", value: BigInt(recv.value.length) };
      break;
    case "binary":
      if (name === "name") return { k: "str", value: recv.name };
      if (name === "fn") return { k: "selector", binary: recv.name, mode: "default" };
      break;
    case "dsl":
      if (recv.name === "*") return ev.dslNamespaceMember(node, scope);
      if (["param", "option", "deref", "cast", "span"].includes(recv.name)) return { k: "dsl", name: `${recv.name}.${name}` };
      break;
    case "events":
      if (recv.schema.has(name)) return { k: "emitter", set: recv, event: name, phase: "record" };
      break;
    case "uretctx":
      if (name === "ret") return { k: "reader", source: "ret", index: 0 };
      break;
    case "tpctx":
      if (name === "args") return { k: "tpargs", tracepoint: recv.tracepoint };
      break;
    case "tpargs":
      return { k: "expr", expr: { kind: "tpArg", field: name }, type: ev.tracepoints.fieldType(recv.tracepoint, name, node) };
    case "kretctx":
      if (name === "retval") return { k: "expr", expr: { kind: "builtin", name: "retval" }, type: I64 };
      break;
    case "struct":
      return structField(ev, recv, name, node);
    case "expr": {
      const t = recv.type;
      // Where one value is wanted, a sized string is its text; its length is part 1 (see tupleGet in the IR).
      if (t.kind === "sizedString" && name === "text") return { k: "expr", expr: recv.expr, type: STRING };
      if (t.kind === "sizedString" && name === "length") {
        return { k: "expr", expr: { kind: "tupleGet", operand: recv.expr, index: 1 }, type: U64 };
      }
      if (t.kind === "record") {
        const i = t.fields.findIndex((f) => f.name === name);
        if (i >= 0) return { k: "expr", expr: { kind: "tupleGet", operand: recv.expr, index: i }, type: t.fields[i]!.type };
      }
      break;
    }
  }
  ev.fail(msg.unknownMember(at, capital(describe(recv)), name));
}

export function elementOf(ev: Evaluator, recv: Value, index: Value, node: ts.ElementAccessExpression): Value {
  if (index.k === "int") {
    const i = Number(index.value);
    if (recv.k === "arr" || recv.k === "tuple") return recv.items[i] ?? { k: "undef" };
    if (recv.k === "expr" && recv.type.kind === "tuple" && i >= 0 && i < recv.type.elements.length) {
      return { k: "expr", expr: { kind: "tupleGet", operand: recv.expr, index: i }, type: recv.type.elements[i]! };
    }
  }
  if (index.k === "str" && recv.k === "obj") return recv.props.get(index.value) ?? { k: "undef" };
  ev.fail(msg.unsupportedExpression(ev.spanOf(node), "This element access", "Index tuples with a literal number."));
}

function structField(ev: Evaluator, recv: Extract<Value, { k: "struct" }>, name: string, node: ts.PropertyAccessExpression): Value {
  const sym = ev.checker.getSymbolAtLocation(node.name);
  const decl = sym?.declarations?.[0];
  if (!decl || !tsv.isPropertySignature(decl) || !decl.type) ev.fail(msg.unknownMember(ev.spanOf(node.name), `struct '${recv.struct}'`, name));
  const expr: Expr = { kind: "field", operand: recv.expr, name, arrow: recv.pointer };
  const typeNode = decl.type;
  if (tsv.isTypeReferenceNode(typeNode) && tsv.isIdentifier(typeNode.typeName)) {
    const tn = typeNode.typeName.text;
    if (!intFromAlias(tn) && tn !== "ptr") return { k: "struct", expr, struct: tn, pointer: false };
  }
  return { k: "expr", expr, type: ev.types.read(typeNode) };
}

// ---------------------------------------------------------------- methods

function arg(ev: Evaluator, node: ts.CallExpression, i: number, scope: Scope): Value {
  const a = node.arguments[i];
  return a ? ev.expr(a, scope) : { k: "undef" };
}

function constInt(ev: Evaluator, node: ts.CallExpression, i: number, scope: Scope, what: string): number | undefined {
  const a = node.arguments[i];
  if (!a) return undefined;
  const v = ev.expr(a, scope);
  if (v.k !== "int") ev.fail(msg.notCompileTime(ev.spanOf(a), what));
  return Number(v.value);
}

const INT_READS = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
const READER_METHODS = ["int", ...INT_READS, "ptr", "cstr", "stringView", "stdString"];

function readerCall(ev: Evaluator, recv: Extract<Value, { k: "reader" }>, name: string, node: ts.CallExpression, scope: Scope): Value {
  let read: ArgRead;
  let type: ValueType;
  if (name === "int" || INT_READS.includes(name)) {
    const t: IntType = intFromAlias(name === "int" ? "i64" : name)!;
    read = { as: "int", type: t };
    type = t;
  } else if (name === "ptr") {
    read = { as: "pointer" };
    type = POINTER;
  } else if (name === "cstr" || name === "stringView" || name === "stdString") {
    const limit = constInt(ev, node, 0, scope, "A string read's limit");
    read = limit === undefined ? { as: name === "cstr" ? "cstr" : name } : { as: name === "cstr" ? "cstr" : name, limit };
    type = name === "cstr" ? STRING : { kind: "sizedString", limit: limit ?? DEFAULT_STRING_LIMIT };
  } else {
    ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), capital(describe(recv)), name, READER_METHODS));
  }
  const loc = locOnly(ev.spanOf(node));
  const expr: Expr = recv.source === "arg" ? { kind: "uArg", index: recv.index, read, loc } : { kind: "uRet", read, loc };
  return { k: "expr", expr, type };
}

function keyExprs(ev: Evaluator, m: MapValue, key: Value | undefined, node: ts.Node): Expr[] | null {
  if (m.shape === "perThread") return [{ kind: "builtin", name: "tid" }];
  if (m.shape === "scalar" || m.key === null) return null;
  if (m.key.length === 1) return [ev.coerce(key ?? { k: "undef" }, m.key[0]!, node)];
  const parts = key && (key.k === "tuple" || key.k === "arr") ? key.items : null;
  if (!parts || parts.length !== m.key.length) ev.fail(msg.mapKeyShape(ev.spanOf(node), m.name, m.key.length, parts?.length ?? 1));
  return m.key.map((t, i) => ev.coerce(parts[i]!, t, node));
}

function mapCall(ev: Evaluator, m: MapValue, name: string, node: ts.CallExpression, scope: Scope): Value {
  if (!scope.handler) ev.fail(msg.contextOutsideHandler(ev.spanOf(node), `Map method '${name}'`));
  const loc = locOnly(ev.spanOf(node));
  const keyed = m.shape === "map" && m.key !== null;
  const keyNode = node.arguments[0] ?? node;
  const out = scope.out!;
  const needsOut = () => {
    if (scope.handler!.filter) ev.fail(msg.filterNotExpression(ev.spanOf(node)));
  };
  if (m.aggregate) {
    if (m.aggregate === "count" && name === "inc") {
      needsOut();
      out.push({ kind: "mapAggregate", map: m.name, key: keyExprs(ev, m, keyed ? arg(ev, node, 0, scope) : undefined, keyNode), fn: "count", args: [], loc });
      return { k: "void" };
    }
    if (m.aggregate !== "count" && name === "add") {
      needsOut();
      const value = ev.toExpr(arg(ev, node, 0, scope), node.arguments[0] ?? node).expr;
      const key = keyExprs(ev, m, keyed ? arg(ev, node, 1, scope) : undefined, node.arguments[1] ?? node);
      out.push({ kind: "mapAggregate", map: m.name, key, fn: m.aggregate, args: [value, ...m.aggregateArgs], loc });
      return { k: "void" };
    }
    if (name === "clear") {
      needsOut();
      out.push({ kind: "mapClear", map: m.name, loc });
      return { k: "void" };
    }
    ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), `Aggregation '${m.name}'`, name, m.aggregate === "count" ? ["inc", "clear"] : ["add", "clear"]));
  }
  const valueType = m.value!;
  switch (name) {
    case "get":
      return { k: "expr", expr: { kind: "mapGet", map: m.name, key: keyExprs(ev, m, arg(ev, node, 0, scope), keyNode) }, type: valueType };
    case "has": {
      // Presence, not "non-zero": a presence map kept beside the values (see ProgramBuilder.presenceMap).
      const key = keyExprs(ev, m, keyed ? arg(ev, node, 0, scope) : undefined, keyNode);
      const get: Expr = { kind: "mapGet", map: ev.builder.presenceMap(m.name), key };
      return { k: "expr", expr: { kind: "binary", op: "!=", left: get, right: { kind: "int", value: "0" } }, type: BOOL };
    }
    case "set": {
      needsOut();
      const key = keyExprs(ev, m, keyed ? arg(ev, node, 0, scope) : undefined, keyNode);
      const vi = keyed ? 1 : 0;
      const value = ev.coerce(arg(ev, node, vi, scope), valueType, node.arguments[vi] ?? node);
      out.push({ kind: "mapSet", map: m.name, key, value, loc });
      return { k: "void" };
    }
    case "delete":
      needsOut();
      out.push({ kind: "mapDelete", map: m.name, key: keyExprs(ev, m, keyed ? arg(ev, node, 0, scope) : undefined, keyNode), loc });
      return { k: "void" };
    case "clear":
      needsOut();
      out.push({ kind: "mapClear", map: m.name, loc });
      return { k: "void" };
  }
  ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), `Map '${m.name}'`, name, ["get", "set", "delete", "has", "clear"]));
}

/**
 * A method call on a value, or undefined when `recv` has no methods and the callee is a plain
 * property holding a function (`param.int`, `envoy.fn`). `name` is "()" when the value itself is called.
 */
export function methodCall(ev: Evaluator, recv: Value, name: string, node: ts.CallExpression, scope: Scope): Value | undefined {
  switch (recv.k) {
    case "map":
      return mapCall(ev, recv, name, node, scope);
    case "reader":
      return readerCall(ev, recv, name, node, scope);
    case "uctx":
      if (name === "arg") return { k: "reader", source: "arg", index: constInt(ev, node, 0, scope, "An argument's position") ?? 0 };
      if (name === "this") return { k: "expr", expr: { kind: "uThis" }, type: POINTER };
      if (name === "unsafeReg") return rawReg(ev, node, scope);
      ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "The uprobe context", name, ["arg", "this", "unsafeReg"]));
    case "uretctx":
      if (name === "unsafeReg") return rawReg(ev, node, scope);
      ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "The uretprobe context", name, ["unsafeReg"]));
    case "kctx":
      if (name === "arg") return { k: "expr", expr: { kind: "kArg", index: constInt(ev, node, 0, scope, "An argument's position") ?? 0 }, type: U64 };
      ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "The kprobe context", name, ["arg"]));
    case "selector":
      if (name === "()" || name === "firstOf" || name === "anyOf") {
        const mode = name === "()" ? recv.mode : name;
        return { k: "point", target: pointFromSelector(ev, recv.binary, mode, node, scope) };
      }
      return undefined;
    case "emitter":
      if (name === "()" && recv.phase === "record") return emitDeclared(ev, recv.set, recv.event, "record", node, scope);
      if ((name === "begin" || name === "end") && recv.phase === "record") return emitDeclared(ev, recv.set, recv.event, name, node, scope);
      ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), `Event '${recv.event}'`, name, ["begin", "end"]));
    case "chain":
      if (name === "orElse") return declareUprobe(ev, recv.probeKind, node, scope, recv);
      ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "A uprobe", name, ["orElse"]));
  }
  if (name === "()") return undefined;
  if (!scope.handler && (recv.k === "arr" || recv.k === "str")) return buildTimeMethod(ev, recv, name, node, scope);
  if (recv.k === "expr" || recv.k === "int" || recv.k === "str" || recv.k === "arr" || recv.k === "tuple" || recv.k === "record" || recv.k === "struct" || recv.k === "tpargs") {
    ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), capital(describe(recv)), name, []));
  }
  return undefined;
}

function rawReg(ev: Evaluator, node: ts.CallExpression, scope: Scope): Value {
  const v = arg(ev, node, 0, scope);
  if (v.k !== "str") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[0] ?? node), "A register name"));
  return { k: "expr", expr: { kind: "rawReg", name: v.value }, type: U64 };
}

function emitDeclared(ev: Evaluator, set: EventSetValue, event: string, phase: "record" | "begin" | "end", node: ts.CallExpression, scope: Scope): Value {
  const shape = set.schema.get(event)!;
  if (shape.kind === "record" && phase !== "record") ev.fail(msg.spanNotDeclared(calleeSpan(ev, node), event));
  if (shape.kind === "span" && phase === "record") ev.fail(msg.spanNotDeclared(calleeSpan(ev, node), event));
  const fields = shape.kind === "record" ? shape.fields : phase === "begin" ? shape.begin : shape.end;
  const name = shape.kind === "record" ? event : `${event}.${phase}`;
  return emitEvent(ev, name, fields, node, scope);
}

/** Where a method-call error points: the method's name (`.foo` of `r.foo()`), else the callee. */
function calleeSpan(ev: Evaluator, node: ts.CallExpression) {
  return ev.spanOf(tsv.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression);
}

const sameValue = (a: Value, b: Value) =>
  (a.k === "int" || a.k === "str" || a.k === "bool") && a.k === b.k && a.value === (b as typeof a).value;

/** Methods of constant arrays and strings that a library may use at build time (pure ones only). */
function buildTimeMethod(ev: Evaluator, recv: Extract<Value, { k: "arr" | "str" }>, name: string, node: ts.CallExpression, scope: Scope): Value {
  const args = node.arguments.map((a) => ev.expr(a, scope));
  const text = (v: Value | undefined) => (v && (v.k === "str" || v.k === "int" || v.k === "bool") ? String(v.value) : undefined);
  const fnArg = (): Extract<Value, { k: "fn" }> => {
    const f = args[0];
    if (!f || f.k !== "fn") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[0] ?? node), `The callback of '${name}'`));
    return f;
  };
  if (recv.k === "str") {
    const t = text(args[0]);
    if (t !== undefined) {
      if (name === "startsWith") return { k: "bool", value: recv.value.startsWith(t) };
      if (name === "endsWith") return { k: "bool", value: recv.value.endsWith(t) };
      if (name === "includes") return { k: "bool", value: recv.value.includes(t) };
    }
    ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "A string", name, ["startsWith", "endsWith", "includes"]));
  }
  const items = recv.items;
  switch (name) {
    case "join":
      if (items.every((i) => text(i) !== undefined)) return { k: "str", value: items.map((i) => text(i)).join(text(args[0]) ?? ",") };
      break;
    case "concat":
      return { k: "arr", items: [...items, ...args.flatMap((a) => (a.k === "arr" ? a.items : [a]))] };
    case "includes":
      return { k: "bool", value: items.some((i) => sameValue(i, args[0] ?? { k: "undef" })) };
    case "indexOf":
      return { k: "int", value: BigInt(items.findIndex((i) => sameValue(i, args[0] ?? { k: "undef" }))) };
    case "slice": {
      const from = args[0]?.k === "int" ? Number(args[0].value) : 0;
      const to = args[1]?.k === "int" ? Number(args[1].value) : items.length;
      return { k: "arr", items: items.slice(from, to) };
    }
    case "map": {
      const f = fnArg();
      return { k: "arr", items: items.map((item, i) => ev.invoke(f, [item, { k: "int", value: BigInt(i) }], node)) };
    }
    case "filter": {
      const f = fnArg();
      return {
        k: "arr",
        items: items.filter((item, i) => {
          const keep = truthy(ev.invoke(f, [item, { k: "int", value: BigInt(i) }], node));
          if (keep === null) ev.fail(msg.runtimeValueAtBuildTime(ev.spanOf(node.arguments[0] ?? node), "`.filter()` on a build-time array"));
          return keep;
        }),
      };
    }
  }
  ev.fail(msg.unsupportedMethod(calleeSpan(ev, node), "An array", name, ["join", "concat", "includes", "indexOf", "slice", "map", "filter"]));
}

