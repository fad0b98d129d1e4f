// JSON Schema (draft-07) of the manifest (compiler/ir/manifest.ts). Validated with ajv when
// `probec build` writes a manifest and when anyone reads one back (readManifest).
// Unknown properties are allowed at the top level and in events, so a newer probec may add fields
// that an older runtime ignores; everything the runtime decodes with is required and typed.
import { declarationDefinitions, eventDeclProperties, eventDeclRequired, mapDeclSchema, paramDeclSchema } from "./schema-declarations.js";

const eventSlot = {
  oneOf: [
    { type: "object", required: ["kind"], additionalProperties: false, properties: { kind: { enum: ["tag", "nsecs", "pid", "tid", "comm", "part"] } } },
    { type: "object", required: ["kind", "field"], additionalProperties: false, properties: { kind: { enum: ["field", "text", "length"] }, field: { type: "string" } } },
  ],
} as const;

export const manifestSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "probec manifest",
  type: "object",
  required: ["manifestVersion", "probecVersion", "source", "bpftraceVersion", "binaries", "params", "probes", "events", "maps", "lineMap", "warnings"],
  definitions: {
    ...declarationDefinitions,
  },
  properties: {
    manifestVersion: { const: 1 },
    probecVersion: { type: "string" },
    source: { type: "string" },
    bpftraceVersion: { type: "string", pattern: "^\\d+\\.\\d+$" },
    script: { type: "string" },
    bpftraceEnv: { type: "object", additionalProperties: { type: "string" } },
    readyMarker: { type: "string", minLength: 1 },
    binaries: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "path", "buildId", "arch", "stdlib"],
        properties: {
          name: { type: "string" },
          path: { type: "string" },
          buildId: { type: ["string", "null"] },
          arch: { enum: ["x86_64", "aarch64"] },
          stdlib: { enum: ["libc++", "libstdc++", "unknown"] },
        },
      },
    },
    params: { type: "array", items: paramDeclSchema },
    probes: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "loc", "attach", "kind", "symbols"],
        properties: {
          id: { type: "string" },
          loc: { $ref: "#/definitions/sourceLoc" },
          attach: { type: "string" },
          kind: { type: "string" },
          symbols: {
            type: "array",
            items: {
              type: "object",
              required: ["binary", "mangled", "demangled", "address", "size"],
              properties: {
                binary: { type: "string" },
                mangled: { type: "string" },
                demangled: { type: "string" },
                address: { type: "integer", minimum: 0 },
                size: { type: "integer", minimum: 0 },
              },
            },
          },
          alternativeTaken: { type: "integer", minimum: 0 },
          skipped: { type: "string" },
        },
      },
    },
    events: {
      type: "array",
      items: {
        type: "object",
        required: eventDeclRequired,
        properties: {
          ...eventDeclProperties,
          layout: {
            type: "object",
            required: ["lines"],
            properties: {
              lines: {
                type: "array",
                minItems: 1,
                items: {
                  type: "object",
                  required: ["part", "slots"],
                  properties: { part: { type: "integer", minimum: 0 }, slots: { type: "array", items: eventSlot } },
                },
              },
            },
          },
        },
      },
    },
    maps: { type: "array", items: mapDeclSchema },
    lineMap: {
      type: "array",
      items: { type: "object", required: ["btLine", "loc"], properties: { btLine: { type: "integer", minimum: 1 }, loc: { $ref: "#/definitions/sourceLoc" } } },
    },
    warnings: {
      type: "array",
      items: { type: "object", required: ["code", "message"], properties: { code: { type: "integer" }, message: { type: "string" }, loc: { $ref: "#/definitions/sourceLoc" } } },
    },
  },
} as const;
