// Test-only: prints the ABI stage's primitive IR in bpftrace-like text so assertions read like the
// script they stand for (`reg("si")`, `*(uint64*)(reg("sp") + 8)`).
import type { Expr, IntType } from "../../../compiler/ir/program.js";

function typeName(t: IntType): string {
  return `${t.signed ? "int" : "uint"}${t.bits}`;
}

export function printIr(e: Expr): string {
  switch (e.kind) {
    case "reg":
      return `reg("${e.name}")`;
    case "stackSlot":
      return `*(uint64*)(reg("sp") + ${e.offset})`;
    case "int":
      return e.value;
    case "deref":
      return `*(${typeName(e.type)}*)(${printIr(e.operand)})`;
    case "intCast":
      return `(${typeName(e.type)})${printIr(e.operand)}`;
    case "binary":
      return `${printIr(e.left)} ${e.op} ${printIr(e.right)}`;
    case "ternary":
      return `(${printIr(e.cond)} ? ${printIr(e.then)} : ${printIr(e.else)})`;
    case "sizedStr":
      return `sized(${printIr(e.ptr)}, ${printIr(e.len)}, ${e.limit})`;
    case "call":
      return `${e.fn}(${e.args.map(printIr).join(", ")})`;
    case "tuple":
      return `(${e.elements.map(printIr).join(", ")})`;
    default:
      return `<${e.kind}>`;
  }
}
