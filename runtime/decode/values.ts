// Checks one JSON value from bpftrace against a declared ValueType and turns it into a FieldValue.
// A value that does not fit its type throws SlotError; the caller counts the line as malformed.
import type { IntType, ValueType } from "../../compiler/ir/program.js";
import type { FieldValue } from "../types.js";
import { parseStack, type Demangler } from "./stack.js";
import { decodeJsonString, type DecodedText } from "./text.js";

export class SlotError extends Error {}

export interface ValueContext {
  /** The raw line the values came from (see decodeJsonString). */
  line: string;
  demangle?: Demangler;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `a string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * An integer of the declared width. bpftrace's idea of signedness often differs from the
 * declaration (map values are int64 in 0.17; a 32-bit -1 can print as 4294967295), so a value
 * that is the same bits in the declared width is read as the declared type: -1 as u16 is 65535,
 * 4294967295 as i32 is -1. Anything else does not fit and is an error.
 */
export function readInt(v: unknown, type: IntType, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new SlotError(`${what}: expected an integer, got ${describe(v)}`);
  if (type.bits === 64) {
    if (!type.signed && v < 0) return v + 2 ** 64;
    if (type.signed && v >= 2 ** 63) return v - 2 ** 64;
    return v;
  }
  const span = 2 ** type.bits;
  const half = span / 2;
  if (v < -half || v >= span) throw new SlotError(`${what}: ${v} does not fit ${type.signed ? "i" : "u"}${type.bits}`);
  if (type.signed) return v >= half ? v - span : v;
  return v < 0 ? v + span : v;
}

/**
 * readInt for one type, its constants worked out once: what the compiled event decoders call (the
 * same checks, results and messages as readInt).
 */
export function intReader(type: IntType): (v: unknown, what: string) => number {
  const { bits, signed } = type;
  if (bits === 64) {
    return (v, what) => {
      if (typeof v !== "number" || !Number.isInteger(v)) throw new SlotError(`${what}: expected an integer, got ${describe(v)}`);
      if (!signed && v < 0) return v + 2 ** 64;
      if (signed && v >= 2 ** 63) return v - 2 ** 64;
      return v;
    };
  }
  const span = 2 ** bits;
  const half = span / 2;
  return (v, what) => {
    if (typeof v !== "number" || !Number.isInteger(v)) throw new SlotError(`${what}: expected an integer, got ${describe(v)}`);
    if (v < -half || v >= span) throw new SlotError(`${what}: ${v} does not fit ${signed ? "i" : "u"}${bits}`);
    if (signed) return v >= half ? v - span : v;
    return v < 0 ? v + span : v;
  };
}

export function readText(v: unknown, ctx: ValueContext, what: string): DecodedText {
  if (typeof v !== "string") throw new SlotError(`${what}: expected a string, got ${describe(v)}`);
  return decodeJsonString(v, ctx.line);
}

/** Decodes a one-slot value (every kind but sizedString, which the event decoder pairs itself). */
export function readValue(v: unknown, type: ValueType, ctx: ValueContext, what: string): FieldValue {
  switch (type.kind) {
    case "int":
      return readInt(v, type, what);
    case "bool":
      if (typeof v === "boolean") return v;
      if (v === 0 || v === 1) return v === 1;
      throw new SlotError(`${what}: expected a bool, got ${describe(v)}`);
    case "string":
      return readText(v, ctx, what).text;
    case "pointer":
      if (typeof v === "string" && /^0x[0-9a-fA-F]+$/.test(v)) return Number(v);
      return readInt(v, { kind: "int", bits: 64, signed: false }, what);
    case "ustack":
    case "kstack": {
      if (typeof v !== "string") throw new SlotError(`${what}: expected a stack, got ${describe(v)}`);
      const frames = parseStack(decodeJsonString(v, ctx.line).text, ctx.demangle);
      if (frames === null) throw new SlotError(`${what}: not a stack: ${describe(v)}`);
      return frames;
    }
    case "tuple": {
      if (!Array.isArray(v) || v.length !== type.elements.length) {
        throw new SlotError(`${what}: expected a tuple of ${type.elements.length}, got ${describe(v)}`);
      }
      return type.elements.map((t, i) => readValue(v[i], t, ctx, `${what}.${i}`));
    }
    case "record": {
      if (!Array.isArray(v) || v.length !== type.fields.length) {
        throw new SlotError(`${what}: expected a tuple of ${type.fields.length} fields, got ${describe(v)}`);
      }
      const out: Record<string, FieldValue> = {};
      type.fields.forEach((f, i) => {
        out[f.name] = readValue(v[i], f.type, ctx, `${what}.${f.name}`);
      });
      return out;
    }
    case "sizedString": {
      // Inside a tuple or map value a sized string is a (text, length) pair.
      if (!Array.isArray(v) || v.length !== 2) throw new SlotError(`${what}: expected (text, length), got ${describe(v)}`);
      return sizedString(v[0], v[1], ctx, what);
    }
  }
}

export function sizedString(textSlot: unknown, lengthSlot: unknown, ctx: ValueContext, what: string): FieldValue {
  const text = readText(textSlot, ctx, what);
  const length = readInt(lengthSlot, { kind: "int", bits: 64, signed: false }, `${what} (length)`);
  const out: { text: string; length: number; truncated: boolean; bytesHex?: string } = {
    text: text.text,
    length,
    truncated: text.byteLength < length,
  };
  if (text.bytesHex !== undefined) out.bytesHex = text.bytesHex;
  return out;
}
