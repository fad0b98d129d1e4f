// Frontend IR → resolved IR: binds binaries, resolves each uprobe point's patterns and lowers its
// argument reads through the ABI stage, one probe at a time; problems are collected, not thrown.
import { lowerProbe, type AbiBinary } from "../abi/index.js";
import { unboundBinary, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { ProbeProgram, ResolvedBinary, ResolvedProbe, ResolvedProgram } from "../ir/program.js";
import { unknownBinaryName } from "./build-diagnostics.js";
import type { SymbolSource } from "./symbol-source.js";

export interface ResolveOutcome {
  program: ResolvedProgram | null;
  diagnostics: ProbeDiagnostic[];
}

function identity(b: AbiBinary): ResolvedBinary {
  return { name: b.name, path: b.path, buildId: b.buildId, arch: b.arch, stdlib: b.stdlib };
}

export function resolveProgram(program: ProbeProgram, bindings: ReadonlyMap<string, string>, source: SymbolSource): ResolveOutcome {
  const diagnostics: ProbeDiagnostic[] = [];
  const declared = program.binaries.map((b) => b.name);
  for (const name of bindings.keys()) {
    if (!declared.includes(name)) diagnostics.push(unknownBinaryName(name, declared));
  }

  // Open each binary a probe uses, once; report an unbound one at the first probe that needs it.
  const opened = new Map<string, AbiBinary | null>();
  for (const probe of program.probes) {
    const a = probe.attach;
    if ((a.kind !== "uprobe" && a.kind !== "uretprobe") || opened.has(a.binary)) continue;
    const path = bindings.get(a.binary);
    if (path === undefined) {
      const d = unboundBinary(probe.loc, a.binary);
      const decl = program.binaries.find((b) => b.name === a.binary);
      if (decl) d.notes = [`binary('${a.binary}') is declared at ${decl.loc.file}:${decl.loc.line}:${decl.loc.column}`];
      diagnostics.push(d);
      opened.set(a.binary, null);
      continue;
    }
    const got = source.openBinary(a.binary, path, probe.loc);
    if ("code" in got) {
      diagnostics.push(got);
      opened.set(a.binary, null);
    } else opened.set(a.binary, { ...got, name: a.binary });
  }

  const probes: ResolvedProbe[] = [];
  for (const probe of program.probes) {
    const a = probe.attach;
    if (a.kind !== "uprobe" && a.kind !== "uretprobe") {
      // Still through the ABI stage: it refuses C++ argument reads outside uprobes, at their line.
      const abi = lowerProbe(probe, [], { name: "", path: "", buildId: null, arch: "x86_64", stdlib: "unknown" });
      diagnostics.push(...abi.diagnostics);
      probes.push({ ...probe, attachments: [] });
      continue;
    }
    const binary = opened.get(a.binary);
    if (!binary) continue; // already reported
    const found = source.resolvePoint(binary, a, probe.loc);
    diagnostics.push(...found.diagnostics);
    if (found.diagnostics.some((d) => d.category === "error")) continue;
    const resolved: ResolvedProbe = { ...probe, attachments: [] };
    if (found.alternativeTaken !== undefined) resolved.alternativeTaken = found.alternativeTaken;
    if (found.skipped !== undefined || found.symbols.length === 0) {
      resolved.skipped = found.skipped ?? "resolved to no symbol";
      probes.push(resolved);
      continue;
    }
    const abi = lowerProbe(probe, found.symbols, binary);
    diagnostics.push(...abi.diagnostics);
    if (!abi.ok) continue;
    resolved.attachments = abi.attachments;
    probes.push(resolved);
  }

  if (diagnostics.some((d) => d.category === "error")) return { program: null, diagnostics };
  const resolvedBinaries = [...opened.values()].filter((b): b is AbiBinary => b !== null).map(identity);
  const { probes: _unresolved, ...rest } = program;
  return { program: { ...rest, resolvedBinaries, probes }, diagnostics };
}
