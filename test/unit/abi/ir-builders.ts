// Test-only builders for probes and symbols fed to lowerProbe.
import type { ArgRead, Expr, Probe, SourceLoc, Stmt } from "../../../compiler/ir/program.js";
import type { AbiBinary, AbiSymbol } from "../../../compiler/abi/index.js";

export const LOC: SourceLoc = { file: "t.probe.ts", line: 3, column: 5 };

export function arg(index: number, read: ArgRead, loc: SourceLoc = { ...LOC, column: 30 }): Expr {
  return { kind: "uArg", index, read, loc };
}

export function emitOf(fields: Record<string, Expr>): Stmt {
  return { kind: "emit", event: "e", fields: Object.entries(fields).map(([name, value]) => ({ name, value })), loc: LOC };
}

export function probe(kind: "uprobe" | "uretprobe", body: Stmt[], filter: Expr | null = null): Probe {
  return {
    id: "p0",
    loc: { file: "t.probe.ts", line: 2, column: 1 },
    attach: { kind, binary: "envoy", patterns: ["X::f"], select: "all", optional: false },
    filter,
    body,
  };
}

export function symbol(demangled: string, params: string[] | null, extra: Partial<AbiSymbol> = {}): AbiSymbol {
  return { mangled: `_Z_${demangled.replace(/\W+/g, "_")}`, demangled, address: 0x1000, size: 16, params, ...extra };
}

export function binary(arch: "x86_64" | "aarch64", stdlib: "libc++" | "libstdc++" | "unknown", extra: Partial<AbiBinary> = {}): AbiBinary {
  return { name: "envoy", path: "/bin/envoy", buildId: null, arch, stdlib, ...extra };
}

export const SV_READ: ArgRead = { as: "stringView" };
