// Builds, once per event declaration, a function that turns a single-line event's values into a
// ProbeEvent. It does what EventDecoder's generic slot walk does, in the same slot order and with
// the same readers (so the same values and the same error for the first bad slot), but as straight
// code that creates the event and its fields as object literals of a fixed shape: the generic walk
// adds fields one by one under computed names, which V8 cannot make fast.
//
// Only layouts of one line whose slots are all head/field/sized-pair slots are compiled; anything
// else (split events, a text slot without its length) keeps the generic walk.
import type { ValueType } from "../../compiler/ir/program.js";
import type { ProbeEvent, SizedStringValue } from "../types.js";
import type { DecodedText } from "./text.js";
import { intReader, readText, readValue, type ValueContext } from "./values.js";

/** One slot as the event decoder compiled it (see event-decoder.ts). */
export interface SimpleSlot {
  kind: "nsecs" | "pid" | "tid" | "comm" | "string" | "value" | "sizedPair";
  at: number;
  field: string;
  type: ValueType | null;
  lengthWhat: string;
}

export type CompiledEventFn = (data: unknown[], ctx: ValueContext) => ProbeEvent;

const U64 = { kind: "int", bits: 64, signed: false } as const;
const I64 = { kind: "int", bits: 64, signed: true } as const;
const U32 = { kind: "int", bits: 32, signed: false } as const;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function sizedValue(text: DecodedText, length: number): SizedStringValue {
  const value: SizedStringValue = { text: text.text, length, truncated: text.byteLength < length };
  if (text.bytesHex !== undefined) value.bytesHex = text.bytesHex;
  return value;
}

function stringSlot(v: unknown, ctx: ValueContext, what: string): string | DecodedText {
  return typeof v === "string" && ASCII_ONLY.test(v) ? v : readText(v, ctx, what);
}

const readU64 = intReader(U64);
const readI64 = intReader(I64);
const readU32 = intReader(U32);
const helpers = { readU64, readI64, readU32, readText, readValue, sizedValue, stringSlot, U64, I64, U32, ASCII_ONLY };

/** Returns null when a field name could not be an ordinary own property of a literal. */
export function compileEvent(name: string, slots: SimpleSlot[]): CompiledEventFn | null {
  if (slots.some((s) => s.field === "__proto__")) return null;
  const lit = JSON.stringify;
  const body: string[] = ["const { readU64, readI64, readU32, readText, readValue, sizedValue, stringSlot } = h;", "return function decodeEvent(d, ctx) {"];
  const head = { ts: "0", pid: "0", tid: "0", comm: '""' };
  const fields: string[] = [];
  let inv = false;
  slots.forEach((s, i) => {
    const v = `v${i}`;
    switch (s.kind) {
      case "nsecs":
        body.push(`const ${v} = readI64(d[${s.at}], "nsecs");`);
        head.ts = v;
        break;
      case "pid":
        body.push(`const ${v} = readU32(d[${s.at}], "pid");`);
        head.pid = v;
        break;
      case "tid":
        body.push(`const ${v} = readU32(d[${s.at}], "tid");`);
        head.tid = v;
        break;
      case "comm":
        body.push(`const ${v}r = d[${s.at}];`, `const ${v} = typeof ${v}r === "string" && h.ASCII_ONLY.test(${v}r) ? ${v}r : readText(${v}r, ctx, "comm").text;`);
        head.comm = v;
        break;
      case "string":
        inv = true;
        body.push(
          `let ${v} = stringSlot(d[${s.at}], ctx, ${lit(s.field)});`,
          `if (typeof ${v} !== "string") { if (${v}.bytesHex !== undefined) (inv ??= {})[${lit(s.field)}] = ${v}.bytesHex; ${v} = ${v}.text; }`,
        );
        fields.push(`${lit(s.field)}: ${v}`);
        break;
      case "value":
        if (s.type?.kind === "int") body.push(`const ${v} = ints[${i}](d[${s.at}], ${lit(s.field)});`);
        else body.push(`const ${v} = readValue(d[${s.at}], types[${i}], ctx, ${lit(s.field)});`);
        fields.push(`${lit(s.field)}: ${v}`);
        break;
      case "sizedPair":
        body.push(`const ${v} = sizedValue(readText(d[${s.at}], ctx, ${lit(s.field)}), readU64(d[${s.at + 1}], ${lit(s.lengthWhat)}));`);
        fields.push(`${lit(s.field)}: ${v}`);
        break;
    }
  });
  if (inv) body.splice(2, 0, "let inv = undefined;");
  body.push(`const e = { event: ${lit(name)}, ts: ${head.ts}, pid: ${head.pid}, tid: ${head.tid}, comm: ${head.comm}, fields: { ${fields.join(", ")} } };`);
  if (inv) body.push("if (inv !== undefined) e.invalidUtf8 = inv;");
  body.push("return e;", "};");
  const types = slots.map((s) => s.type);
  const ints = slots.map((s) => (s.type?.kind === "int" ? intReader(s.type) : null));
  // The code is made from the manifest's field names, each written as a JSON string literal.
  const factory = new Function("h", "types", "ints", body.join("\n")) as (
    h: typeof helpers,
    types: (ValueType | null)[],
    ints: (((v: unknown, what: string) => number) | null)[],
  ) => CompiledEventFn;
  return factory(helpers, types, ints);
}
