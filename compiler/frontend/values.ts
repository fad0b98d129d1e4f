// What an expression evaluates to in the front end. The top level of a probe module is evaluated at
// build time, so most values there are compile-time values (numbers, strings, objects, maps,
// binaries…). Inside a handler an expression may also be a run-time value (`expr`, an IR expression
// with its type) or one of the DSL's context objects (`f`, `t.args`, a struct cast…).
import type { ts } from "ts-morph";
import type { AggregateFn, Expr, FieldType, Probe, UprobeTarget, ValueType } from "../ir/program.js";

/** Bindings of one scope, keyed by the checker's symbols (so shadowing and imports resolve like tsc). */
export class Env {
  private readonly vars = new Map<ts.Symbol, Value>();
  constructor(readonly parent: Env | null) {}
  get(sym: ts.Symbol): Value | undefined {
    for (let e: Env | null = this; e; e = e.parent) {
      const v = e.vars.get(sym);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  set(sym: ts.Symbol, v: Value): void {
    this.vars.set(sym, v);
  }
}

export interface MapValue {
  k: "map";
  name: string;
  shape: "map" | "perThread" | "scalar";
  key: ValueType[] | null;
  value: ValueType | null;
  aggregate: AggregateFn | null;
  /** lhist's min, max, step. */
  aggregateArgs: Expr[];
}

export type EventShape = { kind: "record"; fields: FieldType[] } | { kind: "span"; begin: FieldType[]; end: FieldType[] };

export interface EventSetValue {
  k: "events";
  schema: Map<string, EventShape>;
}

export type Value =
  // ---- compile-time
  | { k: "int"; value: bigint }
  | { k: "str"; value: string }
  | { k: "bool"; value: boolean }
  | { k: "undef" }
  | { k: "void" }
  | { k: "obj"; props: Map<string, Value> }
  | { k: "arr"; items: Value[] }
  /** A user function (library probe set or handler), with the scope it closes over. */
  | { k: "fn"; node: ts.SignatureDeclaration & { body?: ts.ConciseBody }; env: Env; name: string }
  /** A DSL export or namespace member, by dotted name (`uprobe`, `param.int`, `deref.u32`). */
  | { k: "dsl"; name: string }
  | { k: "binary"; name: string }
  | { k: "selector"; binary: string; mode: "default" | "firstOf" | "anyOf" }
  | { k: "point"; target: UprobeTarget }
  | MapValue
  | EventSetValue
  | { k: "emitter"; set: EventSetValue; event: string; phase: "record" | "begin" | "end" }
  | { k: "chain"; probeKind: "uprobe" | "uretprobe"; probes: Probe[] }
  // ---- run time (handlers only)
  | { k: "expr"; expr: Expr; type: ValueType }
  /** A record or tuple built in a handler, not yet stored anywhere (an emit's fields, a map value). */
  | { k: "record"; fields: Map<string, Value>; nodes?: Map<string, ts.Node> }
  | { k: "tuple"; items: Value[] }
  | { k: "uctx" }
  | { k: "uretctx" }
  | { k: "tpctx"; tracepoint: string }
  | { k: "tpargs"; tracepoint: string }
  | { k: "kctx" }
  | { k: "kretctx" }
  | { k: "reader"; source: "arg" | "ret"; index: number }
  /** A kernel struct: `pointer` for a cast result (fields via `->`), embedded otherwise (`.`). */
  | { k: "struct"; expr: Expr; struct: string; pointer: boolean };

export type Kind = Value["k"];

export const isCompileTime = (v: Value): boolean =>
  v.k === "int" || v.k === "str" || v.k === "bool" || v.k === "undef";

/** How a value is named in messages. */
export function describe(v: Value): string {
  switch (v.k) {
    case "int": return `the number ${v.value}`;
    case "str": return `the string ${JSON.stringify(v.value)}`;
    case "bool": return `${v.value}`;
    case "undef": return "undefined";
    case "void": return "a call without a value";
    case "obj": return "an object";
    case "arr": return "an array";
    case "fn": return `function '${v.name}'`;
    case "dsl": return `probec's '${v.name}'`;
    case "binary": return `binary '${v.name}'`;
    case "selector": return `the function selector of '${v.binary}'`;
    case "point": return "a probe point";
    case "map": return `map '${v.name}'`;
    case "events": return "an event set";
    case "emitter": return `event '${v.event}'`;
    case "chain": return "a probe";
    case "expr": return `a value of type ${v.type.kind}`;
    case "record": return "a record";
    case "tuple": return "a tuple";
    case "uctx": return "the uprobe context";
    case "uretctx": return "the uretprobe context";
    case "tpctx": return "the tracepoint context";
    case "tpargs": return `the args of '${v.tracepoint}'`;
    case "kctx": return "the kprobe context";
    case "kretctx": return "the kretprobe context";
    case "reader": return v.source === "arg" ? `argument ${v.index}` : "the return value";
    case "struct": return `struct '${v.struct}'`;
  }
}

/**
 * Whether a value is true at build time (JavaScript's rule for constants), or null when it is only
 * known at run time (a lowered expression, a record of them, a pointer read). One rule for `if`,
 * `?:`, `!`, `&&`/`||` and the build-time array methods.
 */
export function truthy(v: Value): boolean | null {
  switch (v.k) {
    case "int": return v.value !== 0n;
    case "str": return v.value !== "";
    case "bool": return v.value;
    case "undef": return false;
    case "expr": case "record": case "tuple": case "void": return null;
    case "struct": return v.pointer ? null : true;
    default: return true;
  }
}
