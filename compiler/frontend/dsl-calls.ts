// Calls of probec's DSL functions: declarations at build time (binaries, maps, params, events,
// probes) and the value functions and effects of handlers (ustack, str, printf, emit…).
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { AggregateFn, AttachPoint, Expr, FieldType, Probe, Stmt, UprobeTarget, ValueType } from "../ir/program.js";
import * as msg from "../diagnostics/messages.js";
import type { Evaluator } from "./evaluator.js";
import { INT_PARAM_SPELLING, parseIntParam } from "../ir/param-value.js";
import { propertyName } from "./evaluator.js";
import type { EventShape, Value } from "./values.js";
import type { ProbeKind, Scope } from "./scope.js";
import { lowerHandler } from "./statements.js";
import { DEFAULT_STRING_LIMIT, intFromAlias, POINTER, STRING, U32 } from "./value-types.js";
import { locOnly } from "./source-loc.js";

const BUILD_TIME = new Set([
  "binary", "map", "perThread", "scalar", "count", "sum", "min", "max", "avg", "stats", "hist", "lhist", "events",
  "param.int", "param.str", "option.bool", "option.int", "option.str",
  "uprobe", "uretprobe", "tracepoint", "kprobe", "kretprobe", "begin", "end", "interval", "profile",
]);

/** A DSL constant (`AF_INET`) has a literal type; its value is inlined. */
export function dslConstant(ev: Evaluator, _name: string, decl: ts.Node): Value | undefined {
  if (!tsv.isVariableDeclaration(decl)) return undefined;
  const type = ev.checker.getTypeAtLocation(decl.name);
  if (type.isNumberLiteral()) return { k: "int", value: BigInt(type.value) };
  if (type.isStringLiteral()) return { k: "str", value: type.value };
  return undefined;
}

function argValue(ev: Evaluator, node: ts.CallExpression, i: number, scope: Scope): Value {
  const a = node.arguments[i];
  return a ? ev.expr(a, scope) : { k: "undef" };
}

function constString(ev: Evaluator, node: ts.CallExpression, i: number, scope: Scope, what: string): string {
  const v = argValue(ev, node, i, scope);
  if (v.k !== "str") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[i] ?? node), what));
  return v.value;
}

function typeArg(ev: Evaluator, node: ts.CallExpression, i: number): ts.TypeNode | undefined {
  return node.typeArguments?.[i];
}

export function callDsl(ev: Evaluator, name: string, node: ts.CallExpression, scope: Scope, nameHint?: string): Value {
  const at = ev.spanOf(node);
  if (BUILD_TIME.has(name) && scope.handler) ev.fail(msg.probeInsideHandler(ev.spanOf(node.expression), `'${name}'`));
  if (!BUILD_TIME.has(name) && !scope.handler) ev.fail(msg.contextOutsideHandler(ev.spanOf(node.expression), `'${name}()'`));
  switch (name) {
    case "binary": {
      const b = constString(ev, node, 0, scope, "A binary's name");
      ev.builder.binary(b, at);
      return { k: "binary", name: b };
    }
    case "map": case "perThread": case "scalar":
      return declareMap(ev, name, node, nameHint);
    case "count": case "sum": case "min": case "max": case "avg": case "stats": case "hist": case "lhist":
      return declareAggregation(ev, name, node, scope, nameHint);
    case "events":
      return declareEvents(ev, node);
    case "param.int": case "param.str": {
      const p = constString(ev, node, 0, scope, "A parameter's name");
      const opts = argValue(ev, node, 1, scope);
      const dv = opts.k === "obj" ? opts.props.get("default") : undefined;
      const def = dv && (dv.k === "int" || dv.k === "str") ? String(dv.value) : undefined;
      ev.builder.param(p, name === "param.int" ? "int" : "string", def, at);
      return { k: "expr", expr: { kind: "param", name: p }, type: name === "param.int" ? intFromAlias("i64")! : STRING };
    }
    case "option.bool": case "option.int": case "option.str":
      return option(ev, name, node, scope);
    case "uprobe": case "uretprobe":
      return declareUprobe(ev, name, node, scope, null);
    case "tracepoint": {
      const tp = constString(ev, node, 0, scope, "A tracepoint's name");
      const where = ev.tracepoints.check(tp, node.arguments[0]!);
      declareProbe(ev, { kind: "tracepoint", category: where.category, name: where.name }, "tracepoint", { k: "tpctx", tracepoint: tp }, node, scope, 1);
      return { k: "void" };
    }
    case "kprobe": case "kretprobe": {
      const fn = constString(ev, node, 0, scope, "A kernel function's name");
      declareProbe(ev, { kind: name, function: fn }, name, { k: name === "kprobe" ? "kctx" : "kretctx" }, node, scope, 1);
      return { k: "void" };
    }
    case "begin": case "end":
      declareProbe(ev, { kind: name }, name, null, node, scope, 0);
      return { k: "void" };
    case "interval": case "profile": {
      const text = constString(ev, node, 0, scope, "A period");
      const m = (name === "profile" ? /^(\d+)(hz|s|ms|us)$/ : /^(\d+)(s|ms|us)$/).exec(text);
      if (!m || Number(m[1]) === 0) ev.fail(msg.badInterval(ev.spanOf(node.arguments[0]!), text, name === "profile" ? "a positive number followed by hz, s, ms or us" : "a positive number followed by s, ms or us"));
      const attach = { kind: name, unit: m[2], value: Number(m[1]) } as AttachPoint;
      declareProbe(ev, attach, name, null, node, scope, 1);
      return { k: "void" };
    }
  }
  return handlerCall(ev, name, node, scope);
}

// ---------------------------------------------------------------- declarations

function declareMap(ev: Evaluator, fn: "map" | "perThread" | "scalar", node: ts.CallExpression, hint?: string): Value {
  const name = ev.builder.mapName(hint ?? fn);
  let key: ValueType[] | null = null;
  let valueNode: ts.TypeNode | undefined;
  if (fn === "map") {
    const k = typeArg(ev, node, 0);
    valueNode = typeArg(ev, node, 1);
    if (!k || !valueNode) ev.fail(msg.unsupportedType(ev.spanOf(node), "map without type arguments (write map<K, V>())"));
    const kt = ev.types.read(k);
    key = kt.kind === "tuple" ? kt.elements : [kt];
  } else {
    valueNode = typeArg(ev, node, 0);
    if (!valueNode) ev.fail(msg.unsupportedType(ev.spanOf(node), `${fn} without a type argument (write ${fn}<V>())`));
    if (fn === "perThread") key = [U32];
  }
  const value = ev.types.read(valueNode);
  ev.builder.map({ name, loc: locOnly(ev.spanOf(node)), shape: fn, key, value });
  return { k: "map", name, shape: fn, key, value, aggregate: null, aggregateArgs: [] };
}

function declareAggregation(ev: Evaluator, fn: AggregateFn, node: ts.CallExpression, scope: Scope, hint?: string): Value {
  const name = ev.builder.mapName(hint ?? fn);
  const k = typeArg(ev, node, 0);
  let key: ValueType[] | null = null;
  if (k && k.kind !== tsv.SyntaxKind.VoidKeyword) {
    const kt = ev.types.read(k);
    key = kt.kind === "tuple" ? kt.elements : [kt];
  }
  const aggregateArgs: Expr[] = [];
  if (fn === "lhist") {
    for (let i = 0; i < 3; i++) {
      const v = argValue(ev, node, i, scope);
      if (v.k !== "int") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[i] ?? node), "lhist's min, max and step"));
      aggregateArgs.push({ kind: "int", value: v.value.toString() });
    }
  }
  ev.builder.map({ name, loc: locOnly(ev.spanOf(node)), shape: key ? "map" : "scalar", key, value: { kind: "aggregate", fn } });
  return { k: "map", name, shape: key ? "map" : "scalar", key, value: null, aggregate: fn, aggregateArgs };
}

function recordFields(ev: Evaluator, t: ts.TypeNode | undefined): FieldType[] {
  if (!t) return [];
  const vt = ev.types.read(t);
  if (vt.kind !== "record") ev.fail(msg.unsupportedType(ev.spanOf(t), `${t.getText()} (an event is a record of named fields)`));
  return vt.fields;
}

function schemaMembers(ev: Evaluator, t: ts.TypeNode): ts.NodeArray<ts.TypeElement> {
  if (tsv.isTypeLiteralNode(t)) return t.members;
  if (tsv.isTypeReferenceNode(t)) {
    let sym = ev.checker.getSymbolAtLocation(t.typeName);
    if (sym && sym.flags & tsv.SymbolFlags.Alias) sym = ev.checker.getAliasedSymbol(sym);
    const d = sym?.declarations?.[0];
    if (d && tsv.isInterfaceDeclaration(d)) return d.members;
    if (d && tsv.isTypeAliasDeclaration(d)) return schemaMembers(ev, d.type);
  }
  ev.fail(msg.unsupportedType(ev.spanOf(t), `${t.getText()} (events<…>() takes an object type: name → record or Span<…>)`));
}

function declareEvents(ev: Evaluator, node: ts.CallExpression): Value {
  const t = typeArg(ev, node, 0);
  if (!t) ev.fail(msg.unsupportedType(ev.spanOf(node), "events without a type argument (write events<{ name: { field: i32 } }>())"));
  const schema = new Map<string, EventShape>();
  for (const m of schemaMembers(ev, t)) {
    if (!tsv.isPropertySignature(m) || !m.type) ev.fail(msg.unsupportedType(ev.spanOf(m), m.getText()));
    const name = propertyName(m.name);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ev.fail(msg.badEventName(ev.spanOf(m.name), name));
    const at = ev.spanOf(m);
    const mt = m.type;
    if (tsv.isTypeReferenceNode(mt) && tsv.isIdentifier(mt.typeName) && mt.typeName.text === "Span") {
      const begin = recordFields(ev, mt.typeArguments?.[0]);
      const end = recordFields(ev, mt.typeArguments?.[1]);
      ev.builder.event(`${name}.begin`, begin, { name, phase: "begin" }, at);
      ev.builder.event(`${name}.end`, end, { name, phase: "end" }, at);
      schema.set(name, { kind: "span", begin, end });
    } else {
      const fields = recordFields(ev, mt);
      ev.builder.event(name, fields, undefined, at);
      schema.set(name, { kind: "record", fields });
    }
  }
  return { k: "events", schema };
}

function option(ev: Evaluator, fn: string, node: ts.CallExpression, scope: Scope): Value {
  const name = constString(ev, node, 0, scope, "An option's name");
  const def = argValue(ev, node, 1, scope);
  ev.usedDefines.add(name);
  const given = Object.hasOwn(ev.options.defines, name) ? ev.options.defines[name] : undefined;
  if (given === undefined) return def;
  const at = ev.spanOf(node);
  if (fn === "option.bool") {
    if (!["true", "false", "1", "0"].includes(given)) ev.fail(msg.badDefineValue(at, name, given, "true or false"));
    return { k: "bool", value: given === "true" || given === "1" };
  }
  if (fn === "option.int") {
    const value = parseIntParam(given);
    if (value === null) ev.fail(msg.badDefineValue(at, name, given, INT_PARAM_SPELLING));
    return { k: "int", value: BigInt.asIntN(64, value) };
  }
  return { k: "str", value: given };
}

export function pointFromSelector(ev: Evaluator, binary: string, mode: "default" | "firstOf" | "anyOf", node: ts.CallExpression, scope: Scope): UprobeTarget {
  const first = argValue(ev, node, 0, scope);
  const items = first.k === "arr" ? first.items : [first];
  const patterns = items.map((v, i) => {
    if (v.k !== "str") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[0] ?? node), `Symbol pattern ${i}`));
    return v.value;
  });
  if (patterns.length === 0) ev.fail(msg.emptyAlternatives(ev.spanOf(node)));
  const opts = argValue(ev, node, 1, scope);
  const prop = (name: string) => (opts.k === "obj" ? opts.props.get(name) : undefined);
  const optional = prop("optional");
  const returns = prop("returns");
  const member = prop("member");
  const target: UprobeTarget = { binary, patterns, select: mode === "anyOf" ? "all" : "first", optional: optional?.k === "bool" && optional.value };
  // What the mangled name cannot say (a return type of an ordinary function, a static member)
  // the probe file may declare; the ABI stage uses it to place `this` and the arguments.
  if (returns !== undefined) {
    if (returns.k !== "str") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[1] ?? node), "The 'returns' option"));
    target.returns = returns.value;
  }
  if (member !== undefined) {
    if (member.k !== "bool") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[1] ?? node), "The 'member' option"));
    target.member = member.value;
  }
  return target;
}

/** Splits `(point?, options?, handler)` arguments: the handler is last, options the object before it. */
function probeArgs(ev: Evaluator, node: ts.CallExpression, scope: Scope, first: number): { handler: Value; when: Value | undefined; handlerNode: ts.Node } {
  const rest = node.arguments.slice(first);
  const handlerNode = rest[rest.length - 1] ?? node;
  const handler = rest.length > 0 ? ev.expr(rest[rest.length - 1]!, scope, "handler") : { k: "undef" as const };
  let when: Value | undefined;
  if (rest.length > 1) {
    const opts = ev.expr(rest[0]!, scope);
    if (opts.k === "obj") when = opts.props.get("when");
  }
  return { handler, when, handlerNode };
}

function declareProbe(ev: Evaluator, attach: AttachPoint, kind: ProbeKind, ctx: Value | null, node: ts.CallExpression, scope: Scope, first: number): Probe {
  const { handler, when, handlerNode } = probeArgs(ev, node, scope, first);
  const lowered = lowerHandler(ev, handler, ctx, kind, when, handlerNode);
  return ev.builder.probe({ loc: locOnly(ev.spanOf(node)), attach, filter: lowered.filter, body: lowered.body });
}

/** `uprobe(point, …)` / `uretprobe(point, …)`, or `.orElse(point, …)` on a chain. */
export function declareUprobe(ev: Evaluator, kind: "uprobe" | "uretprobe", node: ts.CallExpression, scope: Scope, chain: Extract<Value, { k: "chain" }> | null): Value {
  const point = argValue(ev, node, 0, scope);
  if (point.k !== "point") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[0] ?? node), "A uprobe's point (envoy.fn(…))"));
  const target: UprobeTarget = { ...point.target, patterns: [...point.target.patterns] };
  if (chain) {
    const head = chain.probes[0]!;
    if (head.attach.kind === "uprobe" || head.attach.kind === "uretprobe") head.attach.group ??= { id: head.id, index: 0 };
    target.group = { id: head.id, index: chain.probes.length };
  }
  const probe = declareProbe(ev, { kind, ...target }, kind, { k: kind === "uprobe" ? "uctx" : "uretctx" }, node, scope, 1);
  return { k: "chain", probeKind: kind, probes: chain ? [...chain.probes, probe] : [probe] };
}

// ---------------------------------------------------------------- handler functions

function printfDirective(type: ValueType): string {
  switch (type.kind) {
    case "int": return type.signed ? "%d" : "%u";
    case "bool": return "%d";
    case "pointer": return "%p";
    default: return "%s";
  }
}

const DIRECTIVE = /%(%|[-+ #0]*\d*(\.\d+)?(hh|h|ll|l)?[a-zA-Z])/g;

function printfStmt(ev: Evaluator, node: ts.CallExpression, scope: Scope): Stmt {
  const loc = locOnly(ev.spanOf(node));
  const fmtNode = node.arguments[0];
  if (!fmtNode) ev.fail(msg.printfFormatNotLiteral(ev.spanOf(node)));
  if (tsv.isTemplateExpression(fmtNode)) {
    let format = fmtNode.head.text.replace(/%/g, "%%");
    const args: Expr[] = [];
    for (const s of fmtNode.templateSpans) {
      const e = ev.toExpr(ev.expr(s.expression, scope), s.expression);
      format += printfDirective(e.type) + s.literal.text.replace(/%/g, "%%");
      args.push(e.expr);
    }
    if (node.arguments.length > 1) ev.fail(msg.printfArgumentCount(ev.spanOf(node), args.length, node.arguments.length - 1 + args.length));
    return { kind: "printf", format, args, loc };
  }
  const fv = ev.expr(fmtNode, scope);
  if (fv.k !== "str") ev.fail(msg.printfFormatNotLiteral(ev.spanOf(fmtNode)));
  const directives = [...fv.value.matchAll(DIRECTIVE)].filter((m) => m[1] !== "%").length;
  const args = node.arguments.slice(1).map((a) => ev.toExpr(ev.expr(a, scope), a).expr);
  if (directives !== args.length) ev.fail(msg.printfArgumentCount(ev.spanOf(node), directives, args.length));
  return { kind: "printf", format: fv.value, args, loc };
}

/** Emits an event with known fields from the record literal in argument `recordIndex`. */
export function emitEvent(ev: Evaluator, event: string, fields: FieldType[], node: ts.CallExpression, scope: Scope, recordIndex = 0, evaluated?: Value): Value {
  if (scope.handler!.filter) ev.fail(msg.filterNotExpression(ev.spanOf(node)));
  const recNode = node.arguments[recordIndex];
  const rec = evaluated ?? (recNode ? ev.expr(recNode, scope) : { k: "record" as const, fields: new Map<string, Value>() });
  if (rec.k !== "record") ev.fail(msg.valueNotStorable(ev.spanOf(recNode ?? node), "An event's record must be an object literal; it"));
  const values = fields.map((f) => ({ name: f.name, value: ev.coerce(rec.fields.get(f.name) ?? { k: "int", value: 0n }, f.type, rec.nodes?.get(f.name) ?? recNode ?? node) }));
  scope.out!.push({ kind: "emit", event, fields: values, loc: locOnly(ev.spanOf(node)) });
  return { k: "void" };
}

/** `emit(name, record, { span })` and `span.begin/end(name, record)`: fields inferred from the values. */
function emitUndeclared(ev: Evaluator, node: ts.CallExpression, scope: Scope, phase: "begin" | "end" | null): Value {
  const base = constString(ev, node, 0, scope, "An event's name");
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(base)) ev.fail(msg.badEventName(ev.spanOf(node.arguments[0]!), base));
  let spanPhase = phase;
  if (!phase) {
    const opts = argValue(ev, node, 2, scope);
    const s = opts.k === "obj" ? opts.props.get("span") : opts.k === "record" ? opts.fields.get("span") : undefined;
    if (s && s.k === "str" && (s.value === "begin" || s.value === "end")) spanPhase = s.value;
  }
  const recNode = node.arguments[1];
  const rec = recNode ? ev.expr(recNode, scope) : { k: "record" as const, fields: new Map<string, Value>() };
  if (rec.k !== "record") ev.fail(msg.valueNotStorable(ev.spanOf(recNode ?? node), "An event's record must be an object literal; it"));
  const fields: FieldType[] = [...rec.fields].map(([name, v]) => ({ name, type: ev.toExpr(v, rec.nodes?.get(name) ?? recNode!).type }));
  const name = spanPhase ? `${base}.${spanPhase}` : base;
  ev.builder.event(name, fields, spanPhase ? { name: base, phase: spanPhase } : undefined, ev.spanOf(node));
  return emitEvent(ev, name, fields, node, scope, 1, rec);
}

function handlerCall(ev: Evaluator, name: string, node: ts.CallExpression, scope: Scope): Value {
  const out = scope.out!;
  const loc = locOnly(ev.spanOf(node));
  const effect = (s: Stmt): Value => {
    if (scope.handler!.filter) ev.fail(msg.filterNotExpression(ev.spanOf(node)));
    out.push(s);
    return { k: "void" };
  };
  const intArg = (i: number): Expr => ev.toExpr(argValue(ev, node, i, scope), node.arguments[i] ?? node).expr;
  const deref = /^deref\.(.+)$/.exec(name);
  if (deref) {
    const t = intFromAlias(deref[1] === "ptr" ? "u64" : deref[1]!)!;
    return { k: "expr", expr: { kind: "deref", type: t, operand: intArg(0) }, type: deref[1] === "ptr" ? POINTER : t };
  }
  const cast = /^cast\.(.+)$/.exec(name);
  if (cast) {
    const t = intFromAlias(cast[1]!)!;
    return { k: "expr", expr: { kind: "intCast", type: t, operand: intArg(0) }, type: t };
  }
  switch (name) {
    case "ustack": case "kstack": {
      const frames = node.arguments.length > 0 ? argValue(ev, node, 0, scope) : undefined;
      if (frames && frames.k !== "int") ev.fail(msg.notCompileTime(ev.spanOf(node.arguments[0]!), "A stack's frame count"));
      const args: Expr[] = frames ? [{ kind: "int", value: frames.value.toString() }] : [];
      const type: ValueType = frames ? { kind: name, frames: Number(frames.value) } : { kind: name };
      return { k: "expr", expr: { kind: "call", fn: name, args }, type };
    }
    case "str": {
      if (node.arguments.length > 1) {
        return { k: "expr", expr: { kind: "sizedStr", ptr: intArg(0), len: intArg(1), limit: DEFAULT_STRING_LIMIT }, type: { kind: "sizedString", limit: DEFAULT_STRING_LIMIT } };
      }
      return { k: "expr", expr: { kind: "call", fn: "str", args: [intArg(0)] }, type: STRING };
    }
    case "ntop":
      return { k: "expr", expr: { kind: "call", fn: "ntop", args: node.arguments.map((_, i) => intArg(i)) }, type: STRING };
    case "uptr": case "kptr":
      return { k: "expr", expr: { kind: "call", fn: name, args: [intArg(0)] }, type: POINTER };
    case "usym": case "ksym":
      return { k: "expr", expr: { kind: "call", fn: name, args: [intArg(0)] }, type: STRING };
    case "kstruct": {
      const t = node.typeArguments?.[0];
      const struct = t && tsv.isLiteralTypeNode(t) && tsv.isStringLiteral(t.literal) ? t.literal.text : undefined;
      if (!struct) ev.fail(msg.notCompileTime(ev.spanOf(node), "kstruct's struct name (kstruct<\"sock\">(p))"));
      return { k: "struct", expr: { kind: "structCast", struct, operand: intArg(0) }, struct, pointer: true };
    }
    case "printf":
      return effect(printfStmt(ev, node, scope));
    case "time": {
      const fmt = node.arguments.length > 0 ? constString(ev, node, 0, scope, "time()'s format") : "%H:%M:%S\n";
      return effect({ kind: "printf", format: "%s", args: [{ kind: "call", fn: "strftime", args: [{ kind: "str", value: fmt }, { kind: "builtin", name: "nsecs" }] }], loc });
    }
    case "exit":
      return effect({ kind: "exit", loc });
    case "print": {
      const m = argValue(ev, node, 0, scope);
      if (m.k !== "map") ev.fail(msg.valueNotStorable(ev.spanOf(node.arguments[0] ?? node), "print() takes a map; this"));
      return effect({ kind: "printMap", map: m.name, loc });
    }
    case "emit":
      return emitUndeclared(ev, node, scope, null);
    case "span.begin":
      return emitUndeclared(ev, node, scope, "begin");
    case "span.end":
      return emitUndeclared(ev, node, scope, "end");
  }
  ev.fail(msg.unsupportedCall(ev.spanOf(node.expression), name));
}
