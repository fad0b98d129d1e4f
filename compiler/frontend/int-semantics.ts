// probec's integer semantics, the ones docs/expressions.md writes down and bpftrace 0.17 really
// has: every binary operation is done on 64-bit patterns (each operand extended by its own
// signedness), signed only when both operands are (a shift: when its left operand is); `/`, `%` and `>>` are unsigned (BPF has no
// signed division, bpftrace no arithmetic shift); a shift count is taken modulo 64 (what the BPF
// interpreter and JITs do). Constant folding uses the same rules, so a folded constant and the
// same expression computed by bpftrace agree.
import type { BinaryOp, IntType } from "../ir/program.js";

export const MIN_I64 = -(1n << 63n);
export const MAX_U64 = (1n << 64n) - 1n;

/** A 64-bit pattern as the signed value bpftrace gives an untyped constant. */
export const asI64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const asU64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Does `v` have a 64-bit pattern (anything from −2^63 to 2^64−1)? */
export const fitsIn64 = (v: bigint): boolean => v >= MIN_I64 && v <= MAX_U64;

/**
 * The type of a binary arithmetic result: 64 bits, signed when both operands are — except a shift,
 * which keeps its left operand's signedness (as in C; measured on bpftrace 0.17).
 */
export function binaryResultType(op: BinaryOp, a: IntType, b: IntType): IntType {
  return { kind: "int", bits: 64, signed: op === "<<" || op === ">>" ? a.signed : a.signed && b.signed };
}

/** Wraps a value into an integer type (what a cast or a store into that type does). */
export function wrapTo(v: bigint, t: IntType): bigint {
  return t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v);
}

export type FoldOutcome =
  | { ok: true; value: bigint | boolean }
  | { ok: false; reason: "overflow" | "shiftCount" | "divisionByZero"; exact?: bigint };

/**
 * Folds an operation on two constants (both int64, as bpftrace types literals). A result that needs
 * more than 64 bits, a shift count outside 0…63 and a division by zero are refused: in a constant
 * they are mistakes, and LLVM would fold them as undefined behaviour anyway.
 */
export function foldConstants(op: BinaryOp, a: bigint, b: bigint): FoldOutcome | null {
  const wrapExact = (exact: bigint): FoldOutcome => (fitsIn64(exact) ? { ok: true, value: asI64(exact) } : { ok: false, reason: "overflow", exact });
  switch (op) {
    case "+": return wrapExact(a + b);
    case "-": return wrapExact(a - b);
    case "*": return wrapExact(a * b);
    case "&": return { ok: true, value: asI64(a & b) };
    case "|": return { ok: true, value: asI64(a | b) };
    case "^": return { ok: true, value: asI64(a ^ b) };
    case "<<":
      if (b < 0n || b > 63n) return { ok: false, reason: "shiftCount" };
      return wrapExact(a << b);
    case ">>":
      if (b < 0n || b > 63n) return { ok: false, reason: "shiftCount" };
      return { ok: true, value: asI64(asU64(a) >> b) };
    case "/":
      if (b === 0n) return { ok: false, reason: "divisionByZero" };
      return { ok: true, value: asI64(asU64(a) / asU64(b)) };
    case "%":
      if (b === 0n) return { ok: false, reason: "divisionByZero" };
      return { ok: true, value: asI64(asU64(a) % asU64(b)) };
    case "==": return { ok: true, value: a === b };
    case "!=": return { ok: true, value: a !== b };
    case "<": return { ok: true, value: a < b };
    case "<=": return { ok: true, value: a <= b };
    case ">": return { ok: true, value: a > b };
    case ">=": return { ok: true, value: a >= b };
    default: return null;
  }
}
