// IR expressions → bpftrace expressions.
import type { Expr, IntType, SourceLoc } from "../ir/program.js";
import type { BtExpr, BtIntTypeName } from "./ast.js";
import { BackendCode, BackendError } from "./backend-error.js";
import type { ProbeScope } from "./probe-scope.js";

export function intTypeName(t: IntType): BtIntTypeName {
  return `${t.signed ? "" : "u"}int${t.bits}` as BtIntTypeName;
}

/** A sized string as two bpftrace expressions: the bounded text and the true length. */
export interface SizedText {
  text: BtExpr;
  length: BtExpr;
}

const BUILTINS_64 = new Set(["pid", "tid", "uid", "gid", "nsecs", "elapsed", "cpu", "cgroup", "retval"]);

/**
 * Already a 64-bit value: registers, 64-bit casts and loads, untyped literals, the integer builtins,
 * and map reads (bpftrace 0.17 stores integer map values as 64 bits — and cannot cast a map read
 * whose type it has not inferred yet, so these must stay uncast).
 */
export function is64(e: BtExpr): boolean {
  if (e.kind === "map") return true;
  if (e.kind === "ident") return BUILTINS_64.has(e.name) || /^arg\d+$/.test(e.name);
  if (e.kind === "call" && e.fn === "reg") return true;
  if (e.kind === "cast") return e.type === "uint64" || e.type === "int64";
  if (e.kind === "int") return !e.cast || e.cast === "int64" || e.cast === "uint64";
  if (e.kind === "unary" && e.op === "*" && e.operand.kind === "cast") return e.operand.type === "uint64 *" || e.operand.type === "int64 *";
  return false;
}

// Expressions cheap and pure enough to appear twice (in the bound and in the copy) without a temporary.
function isTrivial(e: BtExpr): boolean {
  return e.kind === "var" || e.kind === "int" || (e.kind === "call" && e.fn === "reg" && e.args.every((a) => a.kind === "string"));
}

export class ExprLowerer {
  constructor(private readonly scope: ProbeScope) {}

  lower(e: Expr, loc?: SourceLoc): BtExpr {
    const at = loc ?? this.scope.probeLoc;
    switch (e.kind) {
      case "int":
        // Literals stored as values get a cast by the statement lowering (see storedValue).
        return e.type ? { kind: "int", value: e.value, cast: intTypeName(e.type) } : { kind: "int", value: e.value };
      case "str":
        return { kind: "string", value: e.value };
      case "bool":
        return { kind: "int", value: e.value ? "1" : "0" };
      case "builtin":
        return { kind: "ident", name: e.name };
      case "param": {
        const p = this.scope.facts.params.get(e.name);
        if (!p) throw new BackendError(BackendCode.Undeclared, `parameter '${e.name}' is used but not declared`, at);
        const pos: BtExpr = { kind: "positional", index: p.position };
        return p.kind === "string" ? { kind: "call", fn: "str", args: [pos] } : pos;
      }
      case "local": {
        const b = this.scope.lookupLocal(e.name);
        if (!b) throw new BackendError(BackendCode.Undeclared, `local '${e.name}' is used before it is declared`, at);
        return { kind: "var", name: b.btName };
      }
      case "unary":
        return { kind: "unary", op: e.op, operand: this.lower(e.operand, at) };
      case "binary":
        return { kind: "binary", op: e.op, left: this.lower(e.left, at), right: this.lower(e.right, at) };
      case "ternary":
        return { kind: "ternary", cond: this.lower(e.cond, at), then: this.lower(e.then, at), else: this.lower(e.else, at) };
      case "mapGet":
        return this.mapRef(e.map, e.key, at);
      case "tpArg":
        return { kind: "tpArg", field: e.field };
      case "kArg":
        return { kind: "ident", name: `arg${e.index}` };
      case "rawReg":
      case "reg":
        return { kind: "call", fn: "reg", args: [{ kind: "string", value: e.name }] };
      case "structCast":
        return { kind: "cast", type: `struct ${e.struct} *`, operand: this.lower(e.operand, at) };
      case "field":
        return { kind: "field", operand: this.lower(e.operand, at), name: e.name, arrow: e.arrow };
      case "tupleGet":
        // A sized string is (text, length) in the IR but two separate expressions in bpftrace.
        if (e.operand.kind === "sizedStr") {
          return e.index === 0 ? this.sizedText(e.operand, at).text : this.lower(e.operand.len, at);
        }
        return { kind: "tupleIndex", operand: this.lower(e.operand, at), index: e.index };
      case "tuple":
        return { kind: "tuple", elements: e.elements.map((x) => this.lower(x, at)) };
      case "deref":
        return { kind: "unary", op: "*", operand: { kind: "cast", type: `${intTypeName(e.type)} *`, operand: this.lower(e.operand, at) } };
      case "intCast":
        return { kind: "cast", type: intTypeName(e.type), operand: this.lower(e.operand, at) };
      case "call":
        return { kind: "call", fn: e.fn, args: e.args.map((a) => this.lower(a, at)) };
      case "stackSlot":
        return this.stackSlot(e.offset);
      case "sizedStr":
        // Where one value is wanted (printf, comparisons, a map), a sized string is its text.
        return this.sizedText(e, at).text;
      case "uArg":
      case "uRet":
      case "uThis":
        throw new BackendError(
          BackendCode.NotLowered,
          `${e.kind === "uThis" ? "this" : e.kind === "uArg" ? `argument ${e.index}` : "the return value"} was not lowered to a register or memory read (the ABI stage did not run on this probe)`,
          ("loc" in e && e.loc) || at,
        );
    }
  }

  /** `*(uint64 *)(reg("sp") + offset)`: an 8-byte stack slot at function entry. */
  private stackSlot(offset: number): BtExpr {
    const sp: BtExpr = { kind: "call", fn: "reg", args: [{ kind: "string", value: "sp" }] };
    const addr: BtExpr = offset === 0 ? sp : { kind: "binary", op: "+", left: sp, right: { kind: "int", value: String(offset) } };
    return { kind: "unary", op: "*", operand: { kind: "cast", type: "uint64 *", operand: addr } };
  }

  mapRef(name: string, key: Expr[] | null, at: SourceLoc): BtExpr & { kind: "map" } {
    const decl = this.scope.facts.maps.get(name);
    if (!decl) throw new BackendError(BackendCode.Undeclared, `map '${name}' is used but not declared`, at);
    const wantsKey = decl.shape !== "scalar";
    if (wantsKey !== (key !== null)) {
      throw new BackendError(BackendCode.InvalidIr, `map '${name}' is ${decl.shape === "scalar" ? "a scalar and takes no key" : "keyed and needs a key"}`, at);
    }
    return { kind: "map", name, key: key === null ? null : key.map((k) => this.lower(k, at)) };
  }

  /**
   * A sized string as (text, true length). The copy is bounded by the string's own limit and by
   * BPFTRACE_STRLEN; the length is read once into a temporary unless it is a plain register.
   */
  sizedText(e: Extract<Expr, { kind: "sizedStr" }>, at: SourceLoc): SizedText {
    // The length is printed next to the text: 64 bits wide, like every printed integer (see lower-stmt).
    const raw = this.lower(e.len, at);
    let length: BtExpr = is64(raw) ? raw : { kind: "cast", type: "uint64", operand: raw };
    if (!isTrivial(length) && this.scope.allowTemps) {
      const name = this.scope.temp("len");
      this.scope.pending.push({ kind: "assignVar", name, value: length, loc: at });
      length = { kind: "var", name };
    }
    const limit = Math.min(e.limit, this.scope.facts.strlen - 1);
    const limitExpr: BtExpr = { kind: "int", value: String(limit) };
    const bounded: BtExpr = { kind: "ternary", cond: { kind: "binary", op: "<", left: length, right: limitExpr }, then: length, else: limitExpr };
    // From 0.23, str(p, n) keeps room for the NUL: it copies n−1 bytes.
    const count: BtExpr = this.scope.target.strCopiesNMinusOne ? { kind: "binary", op: "+", left: bounded, right: { kind: "int", value: "1" } } : bounded;
    return { text: { kind: "call", fn: "str", args: [this.lower(e.ptr, at), count] }, length };
  }
}

/**
 * A value that is stored (a local, a map value, a tuple slot): 0.26 would type a bare literal as
 * the smallest integer that holds it, so stored literals carry an explicit 64-bit cast.
 */
export function storedValue(e: BtExpr): BtExpr {
  if (e.kind === "int" && !e.cast) return { ...e, cast: "int64" };
  if (e.kind === "tuple") return { ...e, elements: e.elements.map(storedValue) };
  return e;
}
