// Resolves every uprobe point of a probe program against each binary given, the way a build would:
// alternatives (first or all), optional points, and `.orElse` groups (the first member that
// resolves is used). The frontend runs once; this runs the resolver once per binary.
import { resolve as resolvePath } from "node:path";
import type { ProbeDiagnostic } from "../diagnostics/index.js";
import type { Probe, ProbeProgram, UprobeTarget } from "../ir/program.js";
import { ElfError, openBinary, PatternError, resolvePatterns, type PatternResolution, type SymbolBinary } from "../symbols/resolve/index.js";
import {
  binaryNotGiven, binaryUnreadable, optionalPointMissing, pointError, requiredPointMissing, unknownBinaryName,
} from "./check-diagnostics.js";
import { ReadChecker } from "./read-check.js";
import type { CheckCell, CheckColumn, CheckPoint, CheckReport } from "./report.js";

export interface CheckBinding {
  name: string;
  path: string;
}

export interface CheckOptions {
  inlineNamespaces?: readonly string[];
  /** false bypasses the resolver's on-disk cache. */
  cache?: boolean;
  /** Most functions one pattern may match (default: the resolver's 512). */
  limit?: number;
  /** Relative binary paths are taken from here (default: the process's cwd). */
  cwd?: string;
  /** false skips checking that argument reads fit each resolved function (the ABI stage). */
  reads?: boolean;
}

type UprobeProbe = Probe & { attach: UprobeTarget & { kind: "uprobe" | "uretprobe" } };

const isUprobe = (p: Probe): p is UprobeProbe => p.attach.kind === "uprobe" || p.attach.kind === "uretprobe";

/** A point's own outcome in one binary, before its `.orElse` group is considered. */
type Own =
  | { kind: "resolved"; alternatives: number[]; results: PatternResolution[] }
  | { kind: "missing"; candidates: string[] }
  | { kind: "error"; message: string };

function unreadableReason(err: unknown): string | null {
  if (err instanceof ElfError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file";
  if (e.code === "EACCES") return "permission denied";
  if (e.code === "EISDIR") return "it is a directory";
  return null;
}

function resolveOwn(binary: SymbolBinary, target: UprobeTarget, options: CheckOptions): Own {
  let results: PatternResolution[];
  try {
    results = resolvePatterns(binary, target.patterns, {
      ...(options.inlineNamespaces ? { inlineNamespaces: options.inlineNamespaces } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    }).patterns;
  } catch (err) {
    if (err instanceof PatternError) return { kind: "error", message: `bad symbol pattern '${err.pattern}': ${err.reason} (column ${err.column})` };
    const reason = unreadableReason(err);
    if (reason !== null) return { kind: "error", message: reason };
    throw err;
  }
  const tooMany = results.find((r) => r.error?.code === "SYM_TOO_MANY");
  if (tooMany) return { kind: "error", message: tooMany.error!.message };
  const resolved = results.map((r, i) => (r.error === null && r.matches.length > 0 ? i : -1)).filter((i) => i >= 0);
  if (resolved.length === 0) {
    const candidates = [...new Set(results.flatMap((r) => r.error?.candidates ?? []))].slice(0, 8);
    return { kind: "missing", candidates };
  }
  return { kind: "resolved", alternatives: target.select === "first" ? [resolved[0]!] : resolved, results };
}

function resolvedCell(own: Extract<Own, { kind: "resolved" }>): CheckCell {
  const seen = new Set<number>();
  const symbols = own.alternatives
    .flatMap((i) => own.results[i]!.matches)
    .filter((m) => !seen.has(m.address) && seen.add(m.address) !== undefined)
    .map((m) => ({ mangled: m.mangled, demangled: m.demangled, address: m.address }));
  return { status: "resolved", alternatives: own.alternatives, symbols };
}

/** The members of each `.orElse` group, in their order; a probe outside any group is its own group. */
function groupsOf(points: UprobeProbe[]): UprobeProbe[][] {
  const byId = new Map<string, UprobeProbe[]>();
  const order: UprobeProbe[][] = [];
  for (const p of points) {
    const id = p.attach.group?.id ?? `solo:${p.id}`;
    let members = byId.get(id);
    if (!members) {
      members = [];
      byId.set(id, members);
      order.push(members);
    }
    members.push(p);
  }
  for (const g of order) g.sort((a, b) => (a.attach.group?.index ?? 0) - (b.attach.group?.index ?? 0));
  return order;
}

/** Fills one column's cells for one group and reports what a build on that binary would. */
function checkGroup(
  members: UprobeProbe[],
  own: Map<string, Own>,
  column: CheckColumn,
  cells: Map<string, CheckCell>,
  diagnostics: ProbeDiagnostic[],
  reads: ReadChecker | null,
): void {
  const takenAt = members.findIndex((m) => own.get(m.id)!.kind === "resolved");
  // A group is optional only when every member is (an ungrouped point: when it is).
  const required = members.some((m) => !m.attach.optional);
  members.forEach((m, i) => {
    const o = own.get(m.id)!;
    if (o.kind === "error") {
      cells.set(m.id, { status: "error", message: o.message });
      diagnostics.push(pointError(m.loc, column, o.message));
    } else if (takenAt >= 0 && i > takenAt) {
      cells.set(m.id, { status: "not-taken", takenBy: members[takenAt]!.id });
    } else if (o.kind === "resolved") {
      const cell = resolvedCell(o);
      // The attached member's reads must fit what it resolved to, as the build would check.
      const errors = reads?.errors(m) ?? [];
      if (errors.length > 0 && cell.status === "resolved") cell.readErrors = errors.map((d) => d.message);
      diagnostics.push(...errors);
      cells.set(m.id, cell);
    } else {
      // Missing: fatal only when nothing in the group resolves and the group is required.
      const fatal = takenAt < 0 && required;
      cells.set(m.id, { status: "missing", required: fatal, candidates: o.candidates });
    }
  });
  if (takenAt >= 0 || members.some((m) => own.get(m.id)!.kind === "error")) return;
  const head = members[0]!;
  const patterns = members.flatMap((m) => m.attach.patterns);
  if (required) {
    const candidates = [...new Set(members.flatMap((m) => { const o = own.get(m.id)!; return o.kind === "missing" ? o.candidates : []; }))].slice(0, 8);
    diagnostics.push(requiredPointMissing(head.loc, patterns, column, candidates));
  } else {
    diagnostics.push(optionalPointMissing(head.loc, patterns, column));
  }
}

export function checkProgram(program: ProbeProgram, bindings: readonly CheckBinding[], options: CheckOptions = {}): Omit<CheckReport, "script"> {
  const diagnostics: ProbeDiagnostic[] = [];
  const declared = program.binaries.map((b) => b.name);
  for (const name of new Set(bindings.map((b) => b.name))) {
    if (!declared.includes(name)) diagnostics.push(unknownBinaryName(name, declared));
  }
  const uprobes = program.probes.filter(isUprobe);
  const given = new Set(bindings.map((b) => b.name));
  const reportedUnbound = new Set<string>();
  for (const p of uprobes) {
    if (!given.has(p.attach.binary) && !reportedUnbound.has(p.attach.binary)) {
      reportedUnbound.add(p.attach.binary);
      diagnostics.push(binaryNotGiven(p.attach.binary, p.loc));
    }
  }

  const base = options.cwd ?? process.cwd();
  const groups = groupsOf(uprobes);
  const columns: CheckColumn[] = [];
  const cellsByColumn: Map<string, CheckCell>[] = [];
  bindings.forEach((b, i) => {
    const column: CheckColumn = { index: i + 1, name: b.name, path: resolvePath(base, b.path), buildId: null, arch: null, stdlib: null };
    columns.push(column);
    const cells = new Map<string, CheckCell>();
    cellsByColumn.push(cells);
    let binary: SymbolBinary | undefined;
    try {
      binary = openBinary(column.path);
      const facts = binary.facts();
      column.buildId = facts.buildId;
      column.arch = facts.arch;
      column.stdlib = facts.stdlib.stdlib;
    } catch (err) {
      const reason = unreadableReason(err);
      binary?.close();
      if (reason === null) throw err;
      column.error = reason;
      diagnostics.push(binaryUnreadable(column, reason));
      for (const p of uprobes) cells.set(p.id, p.attach.binary === b.name ? { status: "error", message: reason } : { status: "unbound" });
      return;
    }
    const firstLoc = uprobes.find((p) => p.attach.binary === b.name)?.loc;
    const reads = options.reads === false || firstLoc === undefined ? null : ReadChecker.open(column, firstLoc, options);
    try {
      for (const members of groups) {
        if (members[0]!.attach.binary !== b.name) {
          for (const m of members) cells.set(m.id, { status: "unbound" });
          continue;
        }
        const opened = binary;
        const own = new Map(members.map((m) => [m.id, resolveOwn(opened, m.attach, options)] as const));
        checkGroup(members, own, column, cells, diagnostics, reads);
      }
    } finally {
      binary.close();
      reads?.close();
    }
  });

  const points: CheckPoint[] = uprobes.map((p) => ({
    id: p.id,
    loc: p.loc,
    kind: p.attach.kind,
    binary: p.attach.binary,
    patterns: p.attach.patterns,
    select: p.attach.select,
    optional: p.attach.optional,
    ...(p.attach.group ? { group: p.attach.group } : {}),
    cells: cellsByColumn.map((c) => c.get(p.id)!),
  }));
  return { columns, points, diagnostics, ok: !diagnostics.some((d) => d.category === "error") };
}
