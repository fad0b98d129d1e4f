// The bpftrace target AST: the script as bpftrace will read it, before printing.
// Lowering builds these nodes from the resolved IR; the printer turns them into text. Nodes that
// come from a place in the probe source carry `loc`, so the printer can write comments and the
// line map that lets bpftrace's errors be traced back to `file.probe.ts:line`.
import type { SourceLoc } from "../ir/program.js";

export type BtIntTypeName = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64";

export type BtExpr =
  /** An integer literal; `cast` asks the printer for an explicit `(type)` where the version needs it. */
  | { kind: "int"; value: string; cast?: BtIntTypeName }
  | { kind: "string"; value: string }
  /** A builtin identifier: `pid`, `tid`, `comm`, `nsecs`, `retval`, `arg0`, `args`… */
  | { kind: "ident"; name: string }
  /** `$name` */
  | { kind: "var"; name: string }
  /** `$1`, `$2`, … */
  | { kind: "positional"; index: number }
  /** `@name[key, …]`; `key` null for `@name`. */
  | { kind: "map"; name: string; key: BtExpr[] | null }
  | { kind: "unary"; op: "!" | "-" | "~" | "*"; operand: BtExpr }
  | { kind: "binary"; op: string; left: BtExpr; right: BtExpr }
  | { kind: "ternary"; cond: BtExpr; then: BtExpr; else: BtExpr }
  /** `operand->name` or `operand.name` */
  | { kind: "field"; operand: BtExpr; name: string; arrow: boolean }
  /** A tracepoint argument; printed `args->f` or `args.f` depending on the version. */
  | { kind: "tpArg"; field: string }
  /** `operand.N` */
  | { kind: "tupleIndex"; operand: BtExpr; index: number }
  | { kind: "tuple"; elements: BtExpr[] }
  /** `(type)operand`, e.g. `(uint32)`, `(struct sock *)`, `(uint64 *)` */
  | { kind: "cast"; type: string; operand: BtExpr }
  | { kind: "call"; fn: string; args: BtExpr[] };

export type BtStmt =
  | { kind: "assignVar"; name: string; value: BtExpr; loc?: SourceLoc }
  | { kind: "assignMap"; target: BtExpr & { kind: "map" }; value: BtExpr; loc?: SourceLoc }
  | { kind: "expr"; expr: BtExpr; loc?: SourceLoc }
  | { kind: "if"; cond: BtExpr; then: BtStmt[]; else: BtStmt[]; loc?: SourceLoc }
  | { kind: "unroll"; count: number; body: BtStmt[]; loc?: SourceLoc }
  | { kind: "return"; loc?: SourceLoc }
  | { kind: "comment"; text: string };

export interface BtProbe {
  /** Comment lines printed above the block (no `//`). */
  comments: string[];
  /**
   * Attach points, already in bpftrace syntax: `uprobe:/bin/envoy:"_ZN…"`, `tracepoint:syscalls:sys_enter_close`.
   * Empty for a probe that was left out (an optional point that resolved to nothing): only its comments print.
   */
  attachPoints: string[];
  predicate: BtExpr | null;
  body: BtStmt[];
  loc?: SourceLoc;
}

export interface BtProgram {
  /** Comment lines printed at the top of the script. */
  header: string[];
  probes: BtProbe[];
}
