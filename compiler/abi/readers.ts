// Readers: the primitive IR that reads a placed parameter (or return value) as what the probe asked
// for — an integer, a pointer, a C string, a string_view in one of its three layouts, a std::string
// in one of its three layouts — or a diagnostic saying why that read does not fit.
import type { ArgRead, Expr, IntType, SourceLoc } from "../ir/program.js";
import { stringKindOf, type ParamClass, type StdStringLayout, type Stdlib, type StringViewLayout } from "./classify.js";
import type { Location, Word } from "./conventions/location.js";
import { AbiCode, abiError, type AbiDiagnostic } from "./diagnostics.js";

/** bpftrace 0.17 copies at most 200 bytes per string (BPFTRACE_STRLEN's ceiling). */
export const MAX_STRING_LIMIT = 200;

const U64: IntType = { kind: "int", bits: 64, signed: false };
const U8: IntType = { kind: "int", bits: 8, signed: false };

export interface PlacedValue {
  /** How messages name it: `parameter 2`, `this`, `the return value`. */
  what: string;
  /** The C++ type as printed, or null when the symbol carries none. */
  printed: string | null;
  cls: ParamClass;
  location: Location;
  /** An assumption made to place it, reported with the read. */
  warning?: AbiDiagnostic;
}

export interface ReadContext {
  stdlib: Stdlib;
  symbol: string;
  loc?: SourceLoc;
  defaultStringLimit: number;
  /** For a return value whose C++ type is not known: the string_view layout to assume. */
  returnedStringView?: StringViewLayout;
}

export function wordExpr(w: Word): Expr {
  return w.kind === "reg" ? { kind: "reg", name: w.name } : { kind: "stackSlot", offset: w.offset };
}

function int(value: number): Expr {
  return { kind: "int", value: String(value) };
}

function add(base: Expr, offset: number): Expr {
  if (offset === 0) return base;
  return offset > 0 ? { kind: "binary", op: "+", left: base, right: int(offset) } : { kind: "binary", op: "-", left: base, right: int(-offset) };
}

function load(type: IntType, base: Expr, offset: number): Expr {
  return { kind: "deref", type, operand: add(base, offset) };
}

function describe(v: PlacedValue): string {
  return v.printed === null ? `${v.what} (no C++ type known)` : `${v.what} has type '${v.printed}'`;
}

/** Reads a string_view value whose two words are given. */
export function stringViewFromWords(layout: StringViewLayout, w0: Expr, w1: Expr, limit: number): Expr {
  const [ptr, len] = layout === "libstdc++" ? [w1, w0] : [w0, w1];
  return { kind: "sizedStr", ptr, len, limit };
}

/** Reads a string_view stored in memory at `addr`. */
export function stringViewAt(layout: StringViewLayout, addr: Expr, limit: number): Expr {
  return stringViewFromWords(layout, load(U64, addr, 0), load(U64, addr, 8), limit);
}

/**
 * Reads a std::string object at `addr`.
 * - libstdc++ (C++11 ABI): `{char* p; size_t len; union { char buf[16]; size_t cap; }}`.
 * - libstdc++ copy-on-write: `{char* p}`, with the length 24 bytes before the text.
 * - libc++ (default layout, little endian): bit 0 of byte 0 set means long; long is
 *   `{cap|1, size, data*}`, short is `{size << 1, char data[23]}`.
 */
export function stdStringAt(layout: StdStringLayout, addr: Expr, limit: number): Expr {
  switch (layout) {
    case "libstdc++":
      return { kind: "sizedStr", ptr: load(U64, addr, 0), len: load(U64, addr, 8), limit };
    case "libstdc++-cow": {
      const ptr = load(U64, addr, 0);
      return { kind: "sizedStr", ptr, len: load(U64, ptr, -24), limit };
    }
    case "libc++": {
      const first = load(U8, addr, 0);
      const isLong: Expr = { kind: "binary", op: "&", left: first, right: int(1) };
      return {
        kind: "sizedStr",
        ptr: { kind: "ternary", cond: isLong, then: load(U64, addr, 16), else: add(addr, 1) },
        len: { kind: "ternary", cond: isLong, then: load(U64, addr, 8), else: { kind: "binary", op: ">>", left: first, right: int(1) } },
        limit,
      };
    }
  }
}

function limitOf(read: { limit?: number }, ctx: ReadContext): number | AbiDiagnostic {
  const limit = read.limit ?? ctx.defaultStringLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STRING_LIMIT) {
    return abiError(AbiCode.BadStringLimit, `string limit ${limit} is outside 1..${MAX_STRING_LIMIT}, what bpftrace copies at most`, ctx.loc);
  }
  return limit;
}

function doesNotFit(v: PlacedValue, asked: string, ctx: ReadContext, hint = ""): AbiDiagnostic {
  return abiError(
    AbiCode.ReadDoesNotFitType,
    `cannot read ${v.what} of ${ctx.symbol} as ${asked}: ${describe(v)}${hint ? `; ${hint}` : ""}`,
    ctx.loc,
  );
}

function words(v: PlacedValue, ctx: ReadContext): Expr[] | AbiDiagnostic {
  const loc = v.location;
  if (loc.kind === "words") return loc.words.map(wordExpr);
  if (loc.kind === "vector") {
    return abiError(
      AbiCode.VectorRegister,
      `${v.what} of ${ctx.symbol}${v.printed ? ` ('${v.printed}')` : ""} is passed in the vector register ${loc.name}, which bpftrace's reg() cannot read`,
      ctx.loc,
    );
  }
  return abiError(AbiCode.CannotPlaceParameter, `cannot locate ${v.what} of ${ctx.symbol}: ${loc.reason}`, ctx.loc);
}

function castTo(type: IntType, e: Expr): Expr {
  return type.bits === 64 && !type.signed ? e : { kind: "intCast", type, operand: e };
}

/** Lowers one read of a placed value to primitive IR, or explains why it does not fit. */
export function readPlaced(v: PlacedValue, read: ArgRead, ctx: ReadContext): Expr | AbiDiagnostic {
  const cls = v.cls;
  switch (read.as) {
    case "raw": {
      const w = words(v, ctx);
      if (!Array.isArray(w)) return w;
      return w.length === 1 ? w[0] : { kind: "tuple", elements: w };
    }
    case "int": {
      if (cls.kind !== "int" && cls.kind !== "pointer") return doesNotFit(v, `an integer (${read.type.signed ? "i" : "u"}${read.type.bits})`, ctx);
      const w = words(v, ctx);
      if (!Array.isArray(w)) return w;
      // Narrow to the parameter's own width first: the upper bits of a register are unspecified.
      const own = cls.kind === "int" && cls.bits < 64 ? castTo({ kind: "int", bits: cls.bits, signed: cls.signed }, w[0]) : w[0];
      const same = cls.kind === "int" && cls.bits === read.type.bits && cls.signed === read.type.signed;
      return same ? own : castTo(read.type, own);
    }
    case "pointer": {
      const ok = cls.kind === "pointer" || cls.kind === "indirect" || (cls.kind === "int" && cls.bits === 64);
      if (!ok) return doesNotFit(v, "a pointer", ctx);
      const w = words(v, ctx);
      return Array.isArray(w) ? w[0] : w;
    }
    case "cstr": {
      const target = cls.kind === "pointer" && cls.target ? stringKindOf(cls.target, ctx.stdlib) : null;
      if (target?.kind !== "char") {
        const hint = target?.kind === "stringView" ? "use .stringView()" : target?.kind === "stdString" ? "use .stdString()" : "";
        return doesNotFit(v, "a C string (char*)", ctx, hint);
      }
      const w = words(v, ctx);
      if (!Array.isArray(w)) return w;
      if (read.limit === undefined) return { kind: "call", fn: "str", args: [w[0]] };
      const limit = limitOf(read, ctx);
      return typeof limit === "number" ? { kind: "call", fn: "str", args: [w[0], int(limit)] } : limit;
    }
    case "stringView": {
      const limit = limitOf(read, ctx);
      if (typeof limit !== "number") return limit;
      if (cls.kind === "aggregate16" && cls.what.kind === "stringView") {
        const w = words(v, ctx);
        if (!Array.isArray(w)) return w;
        return stringViewFromWords(cls.what.layout, w[0], w[1], limit);
      }
      const target = cls.kind === "pointer" && cls.target ? stringKindOf(cls.target, ctx.stdlib) : null;
      if (target?.kind === "stringView") {
        const w = words(v, ctx);
        return Array.isArray(w) ? stringViewAt(target.layout, w[0], limit) : w;
      }
      const isStdString = target?.kind === "stdString" || (cls.kind === "indirect" && cls.what.kind === "stdString");
      return doesNotFit(v, "a string_view", ctx, isStdString ? "use .stdString()" : target?.kind === "char" ? "use .cstr()" : "");
    }
    case "stdString": {
      const limit = limitOf(read, ctx);
      if (typeof limit !== "number") return limit;
      let layout: StdStringLayout | null = null;
      if (cls.kind === "indirect" && cls.what.kind === "stdString") layout = cls.what.layout;
      const target = cls.kind === "pointer" && cls.target ? stringKindOf(cls.target, ctx.stdlib) : null;
      if (target?.kind === "stdString") layout = target.layout;
      if (layout === null) {
        const isView = target?.kind === "stringView" || (cls.kind === "aggregate16" && cls.what.kind === "stringView");
        return doesNotFit(v, "a std::string", ctx, isView ? "use .stringView()" : target?.kind === "char" ? "use .cstr()" : "");
      }
      const w = words(v, ctx);
      return Array.isArray(w) ? stdStringAt(layout, w[0], limit) : w;
    }
  }
}
