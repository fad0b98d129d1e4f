// Frontend IR → resolved IR: binds binaries, resolves each uprobe point's patterns and lowers its
// argument reads through the ABI stage, one probe at a time; problems are collected, not thrown.
import { lowerProbe, type AbiBinary } from "../abi/index.js";
import { unboundBinary, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { Probe, ProbeProgram, ResolvedBinary, ResolvedProbe, ResolvedProgram, UprobeTarget } from "../ir/program.js";
import { unknownBinaryName } from "./build-diagnostics.js";
import type { PointResolution, SymbolSource } from "./symbol-source.js";

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

  const groups = resolveGroups(program, opened, source, diagnostics);
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
    const found = a.group ? groups.get(probe.id) : source.resolvePoint(binary, a, probe.loc);
    if (!found) continue; // the group's failure is already reported
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

type UprobePoint = Probe & { attach: UprobeTarget & { kind: "uprobe" | "uretprobe" } };

/**
 * `.orElse` groups: each member is tried as if optional, the first (by index) that resolves is
 * attached and the later ones are skipped. Only when none resolves does a required group fail,
 * with one error naming every member's patterns and the nearest candidates.
 */
function resolveGroups(
  program: ProbeProgram,
  opened: ReadonlyMap<string, AbiBinary | null>,
  source: SymbolSource,
  diagnostics: ProbeDiagnostic[],
): Map<string, PointResolution> {
  const members = new Map<string, UprobePoint[]>();
  for (const probe of program.probes) {
    const a = probe.attach;
    if ((a.kind !== "uprobe" && a.kind !== "uretprobe") || !a.group) continue;
    const list = members.get(a.group.id) ?? [];
    list.push(probe as UprobePoint);
    members.set(a.group.id, list);
  }
  const out = new Map<string, PointResolution>();
  for (const group of members.values()) {
    group.sort((x, y) => x.attach.group!.index - y.attach.group!.index);
    let taken: UprobePoint | null = null;
    for (const m of group) {
      const binary = opened.get(m.attach.binary);
      if (!binary) continue;
      if (taken) {
        out.set(m.id, { symbols: [], skipped: `alternative ${taken.id} (${taken.loc.file}:${taken.loc.line}) resolved first`, diagnostics: [] });
        continue;
      }
      const found = source.resolvePoint(binary, { ...m.attach, optional: true }, m.loc);
      const errors = found.diagnostics.filter((d) => d.category === "error");
      if (errors.length > 0 || found.symbols.length > 0) {
        out.set(m.id, found);
        if (errors.length === 0) taken = m;
        continue;
      }
      out.set(m.id, { symbols: [], skipped: found.skipped ?? "resolved to no symbol", diagnostics: [] });
    }
    if (taken || group.some((m) => out.get(m.id)?.diagnostics.length)) continue;
    const head = group[0]!;
    const binary = opened.get(head.attach.binary);
    if (!binary) continue;
    // Nothing resolved: ask again for all patterns at once, required or not as the group is, so the
    // error (or the skip warning) names them all with the resolver's nearest candidates.
    const required = group.some((m) => !m.attach.optional);
    const all = source.resolvePoint(binary, { ...head.attach, patterns: group.flatMap((m) => m.attach.patterns), optional: !required }, head.loc);
    diagnostics.push(...all.diagnostics);
    if (required) for (const m of group) out.delete(m.id);
  }
  return out;
}
