// JSON Schema (draft-07) of the probe IR the front end produces (ProbeProgram in program.ts), and
// a validator. Stages that read IR from disk (or tests that hand-write it) check it here first.
// Each Expr/Stmt kind is matched on its `kind` and must carry that kind's fields.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { aggregateFnSchema, declarationDefinitions, eventDeclProperties, eventDeclRequired, intTypeSchema, mapDeclSchema, paramDeclSchema } from "./schema-declarations.js";

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const obj = (kind: string | string[], props: Record<string, unknown> = {}, required: string[] = []) => ({
  type: "object",
  required: ["kind", ...required],
  properties: { kind: Array.isArray(kind) ? { enum: kind } : { const: kind }, ...props },
});
const exprs = { type: "array", items: ref("expr") };
const stmts = { type: "array", items: ref("stmt") };
const keyOrNull = { anyOf: [exprs, { type: "null" }] };
const str = { type: "string" };
const int = { type: "integer" };
const loc = ref("sourceLoc");

const intType = intTypeSchema;

const argRead = {
  anyOf: [
    { type: "object", required: ["as", "type"], properties: { as: { const: "int" }, type: intType } },
    { type: "object", required: ["as"], properties: { as: { enum: ["pointer", "raw"] } } },
    { type: "object", required: ["as"], properties: { as: { enum: ["cstr", "stringView", "stdString"] }, limit: { type: "integer", minimum: 1 } } },
  ],
};

const expr = {
  anyOf: [
    obj("int", { value: { type: "string", pattern: "^-?\\d+$" }, type: intType }, ["value"]),
    obj("str", { value: str }, ["value"]),
    obj("bool", { value: { type: "boolean" } }, ["value"]),
    obj("builtin", { name: { enum: ["pid", "tid", "uid", "gid", "comm", "nsecs", "elapsed", "cpu", "cgroup", "probe", "func", "retval"] } }, ["name"]),
    obj(["param", "local", "rawReg", "reg"], { name: str }, ["name"]),
    obj("unary", { op: { enum: ["!", "-", "~"] }, operand: ref("expr") }, ["op", "operand"]),
    obj("binary", { op: { enum: ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "==", "!=", "<", "<=", ">", ">=", "&&", "||"] }, left: ref("expr"), right: ref("expr") }, ["op", "left", "right"]),
    obj("ternary", { cond: ref("expr"), then: ref("expr"), else: ref("expr") }, ["cond", "then", "else"]),
    obj("mapGet", { map: str, key: keyOrNull }, ["map", "key"]),
    obj("tpArg", { field: str }, ["field"]),
    obj("kArg", { index: { type: "integer", minimum: 0 } }, ["index"]),
    obj("uArg", { index: { type: "integer", minimum: 0 }, read: argRead, loc }, ["index", "read"]),
    obj("uThis"),
    obj("uRet", { read: argRead, loc }, ["read"]),
    obj("structCast", { struct: str, operand: ref("expr") }, ["struct", "operand"]),
    obj("field", { operand: ref("expr"), name: str, arrow: { type: "boolean" } }, ["operand", "name", "arrow"]),
    obj("tupleGet", { operand: ref("expr"), index: { type: "integer", minimum: 0 } }, ["operand", "index"]),
    obj("tuple", { elements: exprs }, ["elements"]),
    obj(["deref", "intCast"], { type: intType, operand: ref("expr") }, ["type", "operand"]),
    obj("call", { fn: { enum: ["str", "ntop", "ustack", "kstack", "usym", "ksym", "kaddr", "uaddr", "strncmp", "buf", "strftime", "uptr", "kptr"] }, args: exprs }, ["fn", "args"]),
    obj("stackSlot", { offset: int }, ["offset"]),
    obj("sizedStr", { ptr: ref("expr"), len: ref("expr"), limit: { type: "integer", minimum: 1 } }, ["ptr", "len", "limit"]),
  ],
};

const aggregateFn = aggregateFnSchema;

const stmt = {
  anyOf: [
    obj(["let", "assign"], { name: str, value: ref("expr"), loc }, ["name", "value", "loc"]),
    obj("mapSet", { map: str, key: keyOrNull, value: ref("expr"), loc }, ["map", "key", "value", "loc"]),
    obj("mapAggregate", { map: str, key: keyOrNull, fn: aggregateFn, args: exprs, loc }, ["map", "key", "fn", "args", "loc"]),
    obj("mapDelete", { map: str, key: keyOrNull, loc }, ["map", "key", "loc"]),
    obj(["mapClear", "printMap"], { map: str, loc }, ["map", "loc"]),
    obj("if", { cond: ref("expr"), then: stmts, else: stmts, loc }, ["cond", "then", "else", "loc"]),
    obj(["return", "exit"], { loc }, ["loc"]),
    obj("emit", { event: str, fields: { type: "array", items: { type: "object", required: ["name", "value"], properties: { name: str, value: ref("expr") } } }, loc }, ["event", "fields", "loc"]),
    obj("printf", { format: str, args: exprs, loc }, ["format", "args", "loc"]),
  ],
};

const uprobeTarget = {
  binary: str,
  patterns: { type: "array", items: str, minItems: 1 },
  select: { enum: ["first", "all"] },
  optional: { type: "boolean" },
  returns: str,
  member: { type: "boolean" },
  group: { type: "object", required: ["id", "index"], properties: { id: str, index: { type: "integer", minimum: 0 } } },
};

const attach = {
  anyOf: [
    obj(["uprobe", "uretprobe"], uprobeTarget, ["binary", "patterns", "select", "optional"]),
    obj("tracepoint", { category: str, name: str }, ["category", "name"]),
    obj(["kprobe", "kretprobe"], { function: str }, ["function"]),
    obj(["begin", "end"]),
    obj("interval", { unit: { enum: ["s", "ms", "us"] }, value: { type: "integer", minimum: 1 } }, ["unit", "value"]),
    obj("profile", { unit: { enum: ["hz", "s", "ms", "us"] }, value: { type: "integer", minimum: 1 } }, ["unit", "value"]),
  ],
};

export const programSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "probec probe IR (ProbeProgram)",
  type: "object",
  required: ["irVersion", "source", "binaries", "params", "maps", "events", "probes"],
  definitions: {
    ...declarationDefinitions,
    expr,
    stmt,
  },
  properties: {
    irVersion: { const: 1 },
    source: str,
    binaries: { type: "array", items: { type: "object", required: ["name", "loc"], properties: { name: str, loc } } },
    params: { type: "array", items: paramDeclSchema },
    maps: { type: "array", items: mapDeclSchema },
    events: { type: "array", items: { type: "object", required: eventDeclRequired, properties: eventDeclProperties } },
    probes: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "loc", "attach", "filter", "body"],
        properties: { id: str, loc, attach, filter: { anyOf: [ref("expr"), { type: "null" }] }, body: stmts },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** Schema violations of `value` as `/pointer: reason` lines; empty when it is a valid ProbeProgram. */
export function programProblems(value: unknown): string[] {
  compiled ??= new Ajv({ allErrors: false, strict: false }).compile(programSchema);
  if (compiled(value)) return [];
  return [...new Set((compiled.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "(top level)"}: ${e.message ?? e.keyword}`))];
}
