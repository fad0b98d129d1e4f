// Decodes the map dumps bpftrace prints at exit (`map`, `hist`, `stats` lines) with the manifest's
// MapDecls: typed keys, typed values, histogram buckets. Maps the manifest does not know (a
// hand-written .bt) are decoded generically: raw keys, JSON values with strings repaired.
import type { MapDecl, ValueType } from "../../compiler/ir/program.js";
import type { DecodedMap, FieldValue, HistBucket, MapEntry, MapValue, StatsValue } from "../types.js";
import { splitTupleKey } from "./tuple-key.js";
import { decodeJsonString } from "./text.js";
import { readValue, SlotError, type ValueContext } from "./values.js";

const TID = { kind: "int", bits: 32, signed: false } as const;
const I64 = { kind: "int", bits: 64, signed: true } as const;

export type MapLineKind = "map" | "hist" | "stats";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isStats(v: unknown): v is StatsValue {
  return isPlainObject(v) && typeof v.count === "number" && typeof v.average === "number" && typeof v.total === "number" && Object.keys(v).length === 3;
}

function readBuckets(v: unknown, what: string): HistBucket[] {
  if (!Array.isArray(v)) throw new SlotError(`${what}: expected histogram buckets`);
  return v.map((b, i) => {
    if (!isPlainObject(b) || typeof b.count !== "number") throw new SlotError(`${what}: bucket ${i} has no count`);
    const out: HistBucket = { count: b.count };
    if (typeof b.min === "number") out.min = b.min;
    if (typeof b.max === "number") out.max = b.max;
    return out;
  });
}

/** Strings inside generically decoded JSON still need the byte-string repair. */
function repairStrings(v: unknown, ctx: ValueContext): FieldValue {
  if (typeof v === "string") return decodeJsonString(v, ctx.line).text;
  if (Array.isArray(v)) return v.map((e) => repairStrings(e, ctx));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, repairStrings(e, ctx)]));
  return v as FieldValue;
}

export class MapDecoder {
  private readonly decls: Map<string, MapDecl>;

  constructor(maps: MapDecl[]) {
    this.decls = new Map(maps.map((m) => [m.name, m]));
  }

  /** Decodes one dump line's `data`; throws SlotError when it does not fit the declaration. */
  decode(kind: MapLineKind, data: unknown, ctx: ValueContext): DecodedMap[] {
    if (!isPlainObject(data)) throw new SlotError(`${kind} line without a map object`);
    return Object.entries(data).map(([atName, payload]) => {
      const name = atName.startsWith("@") ? atName.slice(1) : atName;
      const decl = this.decls.get(name);
      return { name, kind, entries: decl ? this.typed(kind, decl, payload, ctx) : this.generic(kind, payload, ctx) };
    });
  }

  private keyTypes(decl: MapDecl): ValueType[] | null {
    if (decl.shape === "perThread") return [TID];
    if (decl.shape === "scalar") return null;
    return decl.key;
  }

  private typed(kind: MapLineKind, decl: MapDecl, payload: unknown, ctx: ValueContext): MapEntry[] {
    const keyTypes = this.keyTypes(decl);
    if (keyTypes === null || keyTypes.length === 0) {
      return [{ key: null, rawKey: null, value: this.value(decl, payload, ctx, `@${decl.name}`) }];
    }
    if (!isPlainObject(payload)) throw new SlotError(`@${decl.name}: expected keyed entries`);
    return Object.entries(payload).map(([rawKey, v]) => {
      const keyText = decodeJsonString(rawKey, ctx.line).text;
      const split = splitTupleKey(keyText, keyTypes, ctx);
      if (split === null) throw new SlotError(`@${decl.name}: key ${JSON.stringify(keyText)} does not fit its declared types`);
      const entry: MapEntry = { key: split.values, rawKey: keyText, value: this.value(decl, v, ctx, `@${decl.name}[${keyText}]`) };
      if (split.ambiguous) entry.ambiguousKey = true;
      return entry;
    });
  }

  private value(decl: MapDecl, v: unknown, ctx: ValueContext, what: string): MapValue {
    if (decl.value.kind !== "aggregate") return readValue(v, decl.value, ctx, what);
    switch (decl.value.fn) {
      case "hist":
      case "lhist":
        return readBuckets(v, what);
      case "stats":
        if (!isStats(v)) throw new SlotError(`${what}: expected stats (count, average, total)`);
        return { count: v.count, average: v.average, total: v.total };
      case "avg":
        if (typeof v !== "number") throw new SlotError(`${what}: expected a number`);
        return v;
      default:
        return readValue(v, I64, ctx, what);
    }
  }

  private generic(kind: MapLineKind, payload: unknown, ctx: ValueContext): MapEntry[] {
    const unkeyed =
      (kind === "hist" && Array.isArray(payload)) ||
      (kind === "stats" && (typeof payload === "number" || isStats(payload))) ||
      (kind === "map" && !isPlainObject(payload));
    const one = (v: unknown, what: string): MapValue => (kind === "hist" ? readBuckets(v, what) : repairStrings(v, ctx));
    if (unkeyed) return [{ key: null, rawKey: null, value: one(payload, "map") }];
    if (!isPlainObject(payload)) throw new SlotError(`unexpected ${kind} payload`);
    return Object.entries(payload).map(([rawKey, v]) => {
      const keyText = decodeJsonString(rawKey, ctx.line).text;
      return { key: [keyText], rawKey: keyText, value: one(v, keyText) };
    });
  }
}
