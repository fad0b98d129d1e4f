// JSON Schema pieces for what both the probe IR and the manifest carry: source locations, value
// types, fields, and the param/map/event declarations. Each schema that uses them defines
// `sourceLoc`, `valueType` and `field` under `definitions` from the exports here.
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const kinded = (kind: string | string[], props: Record<string, unknown> = {}, required: string[] = []) => ({
  type: "object",
  required: ["kind", ...required],
  properties: { kind: Array.isArray(kind) ? { enum: kind } : { const: kind }, ...props },
});
const str = { type: "string" };

export const intTypeSchema = kinded("int", { bits: { enum: [8, 16, 32, 64] }, signed: { type: "boolean" } }, ["bits", "signed"]);

export const aggregateFnSchema = { enum: ["count", "sum", "min", "max", "avg", "stats", "hist", "lhist"] };

/** The shared `definitions` entries: `sourceLoc`, `valueType`, `field`. */
export const declarationDefinitions = {
  sourceLoc: { type: "object", required: ["file", "line", "column"], properties: { file: str, line: { type: "integer", minimum: 1 }, column: { type: "integer", minimum: 1 } } },
  valueType: {
    anyOf: [
      intTypeSchema,
      kinded(["bool", "string", "pointer"]),
      kinded("sizedString", { limit: { type: "integer", minimum: 1 } }, ["limit"]),
      kinded(["ustack", "kstack"], { frames: { type: "integer", minimum: 1 } }),
      kinded("tuple", { elements: { type: "array", items: ref("valueType") } }, ["elements"]),
      kinded("record", { fields: { type: "array", items: ref("field") } }, ["fields"]),
    ],
  },
  field: { type: "object", required: ["name", "type"], properties: { name: str, type: ref("valueType") } },
};

export const paramDeclSchema = {
  type: "object",
  required: ["name", "kind", "position"],
  properties: { name: str, kind: { enum: ["int", "string"] }, position: { type: "integer", minimum: 1 }, default: str },
};

export const mapDeclSchema = {
  type: "object",
  required: ["name", "loc", "shape", "key", "value"],
  properties: {
    name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
    loc: ref("sourceLoc"),
    shape: { enum: ["map", "perThread", "scalar"] },
    key: { anyOf: [{ type: "array", items: ref("valueType") }, { type: "null" }] },
    value: { anyOf: [ref("valueType"), kinded("aggregate", { fn: aggregateFnSchema }, ["fn"])] },
    presenceOf: { type: "string" },
  },
};

/** An EventDecl's properties; the manifest adds its `layout`. */
export const eventDeclProperties = {
  name: str,
  tag: { type: "integer", minimum: 1 },
  fields: { type: "array", items: ref("field") },
  loc: ref("sourceLoc"),
  span: { type: "object", required: ["name", "phase"], properties: { name: str, phase: { enum: ["begin", "end"] } } },
};
export const eventDeclRequired = ["name", "tag", "fields", "loc"];
