// A resolved probe program → the bpftrace AST plus what the manifest says about it.
// One probe block per resolved attachment (its symbols comma-joined), never two attach points at
// one address within a probe, and the probe count checked against bpftrace's limit.
import { basename } from "node:path";
import type { ManifestEvent, ManifestProbe } from "../ir/manifest.js";
import type { AttachPoint, Expr, ResolvedBinary, ResolvedProbe, ResolvedProgram, SourceLoc } from "../ir/program.js";
import type { BtProbe, BtProgram, BtStmt } from "./ast.js";
import { READY_MARKER } from "../ir/manifest.js";
import { describeAttach, plainAttachPoint, uprobeAttachPoint } from "./attach-points.js";
import { optionalPointSkipped, tooManyProbes } from "../diagnostics/index.js";
import { BackendCode, BackendError, BackendWarning, backendWarning, type BackendProblem } from "./backend-error.js";
import { planEventLayout } from "./event-layout.js";
import { walkExpr, walkStmts } from "./ir-walk.js";
import { mapsReadNeverWritten, mapsWritten } from "./map-usage.js";
import { ExprLowerer } from "./lower-expr.js";
import { StmtLowerer, type EventPlan } from "./lower-stmt.js";
import { ProbeScope, type ProgramFacts } from "./probe-scope.js";
import type { BpftraceTarget } from "./target-version.js";

/** bpftrace's default BPFTRACE_STRLEN (the IR's default string limit is the same number). */
import { DEFAULT_STRING_LIMIT } from "../ir/program.js";
export const DEFAULT_STRLEN = DEFAULT_STRING_LIMIT;
/** Symbols listed by name above a probe block; the rest are counted. */
const LISTED_SYMBOLS = 12;

export interface LoweredProgram {
  ast: BtProgram;
  probes: ManifestProbe[];
  events: ManifestEvent[];
  strlen: number;
  probeCount: number;
  warnings: BackendProblem[];
}

export type LowerResult = { ok: true; value: LoweredProgram } | { ok: false; errors: BackendProblem[]; warnings: BackendProblem[] };

/**
 * BPFTRACE_STRLEN the script needs: room for the longest bounded string copy, within bpftrace's
 * ceiling. The copies in the code decide (an event type's declared limit is what the front end
 * asked for; the ABI-lowered read carries the bound actually used).
 */
export function requiredStrlen(program: ResolvedProgram, target: BpftraceTarget): number {
  const limits: number[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === "sizedStr") limits.push(e.limit);
    if (e.kind === "call" && e.fn === "str" && e.args[1]?.kind === "int") limits.push(Number(e.args[1].value));
  };
  for (const p of program.probes) {
    for (const a of p.attachments.length > 0 ? p.attachments : [{ filter: p.filter, body: p.body }]) {
      if (a.filter) walkExpr(a.filter, visit);
      walkStmts(a.body, visit);
    }
  }
  const want = Math.max(DEFAULT_STRLEN, ...limits.map((l) => l + 1));
  return Math.min(want, target.maxStrlen);
}

type UprobePoint = Extract<AttachPoint, { binary: string }>;

function isUprobe(a: AttachPoint): a is UprobePoint {
  return a.kind === "uprobe" || a.kind === "uretprobe";
}

/** Abandons a probe whose error was already reported for an earlier one (the same bad binary path). */
class AlreadyReported extends Error {}

interface AddressOwner {
  probeId: string;
  loc: SourceLoc;
}

export class ProgramLowerer {
  private readonly facts: ProgramFacts;
  private readonly events = new Map<string, EventPlan>();
  private readonly binaries: Map<string, ResolvedBinary>;
  private readonly errors: BackendProblem[] = [];
  private readonly warnings: BackendProblem[] = [];
  /** `kind|path|address` → the probe that attached there first. */
  private readonly addressOwners = new Map<string, AddressOwner>();

  constructor(
    private readonly program: ResolvedProgram,
    target: BpftraceTarget,
  ) {
    this.facts = {
      target,
      params: new Map(program.params.map((p) => [p.name, p])),
      maps: new Map(program.maps.map((m) => [m.name, m])),
      strlen: requiredStrlen(program, target),
    };
    this.binaries = new Map(program.resolvedBinaries.map((b) => [b.name, b]));
  }

  lower(header: string[]): LowerResult {
    const manifestEvents: ManifestEvent[] = [];
    for (const decl of this.program.events) {
      const layout = this.attempt(() => planEventLayout(decl, this.facts.strlen));
      if (layout) {
        this.events.set(decl.name, { decl, layout });
        manifestEvents.push({ ...decl, layout });
      }
    }
    const btProbes: BtProbe[] = [];
    const manifestProbes: ManifestProbe[] = [];
    for (const probe of this.program.probes) {
      const done = this.attempt(() => this.lowerProbe(probe));
      if (done) {
        btProbes.push(...done.blocks);
        manifestProbes.push(done.manifest);
      }
    }
    for (const r of mapsReadNeverWritten(this.program)) {
      this.errors.push(new BackendError(BackendCode.MapNeverWritten, `map '${r.map}' is read here but never written anywhere in the script; bpftrace rejects a map it cannot type`, r.loc).diagnostic);
    }
    const probeCount = btProbes.reduce((n, b) => n + b.attachPoints.length, 0);
    if (probeCount > this.facts.target.maxProbes) this.errors.push(this.tooManyProbes(btProbes, probeCount));
    announceReadiness(btProbes);
    clearStateAtEnd(btProbes, this.program);
    if (this.errors.length > 0) return { ok: false, errors: this.errors, warnings: this.warnings };
    return {
      ok: true,
      value: { ast: { header, probes: btProbes }, probes: manifestProbes, events: manifestEvents, strlen: this.facts.strlen, probeCount, warnings: this.warnings },
    };
  }

  private attempt<T>(body: () => T): T | undefined {
    try {
      return body();
    } catch (err) {
      if (err instanceof BackendError) {
        this.errors.push(err.diagnostic);
        return undefined;
      }
      if (err instanceof AlreadyReported) return undefined;
      throw err;
    }
  }

  private tooManyProbes(blocks: BtProbe[], count: number): BackendProblem {
    const biggest = [...blocks].sort((a, b) => b.attachPoints.length - a.attachPoints.length)[0];
    const d = tooManyProbes(biggest.loc, count, this.facts.target.maxProbes);
    if (biggest.loc) d.notes = [`the largest probe, ${basename(biggest.loc.file)}:${biggest.loc.line}, attaches ${biggest.attachPoints.length}`];
    return d;
  }

  private lowerProbe(probe: ResolvedProbe): { blocks: BtProbe[]; manifest: ManifestProbe } {
    const attach = probe.attach;
    const where = `${basename(probe.loc.file)}:${probe.loc.line}`;
    const manifest: ManifestProbe = { id: probe.id, loc: probe.loc, attach: describeAttach(attach), kind: attach.kind, symbols: [] };
    if (probe.alternativeTaken !== undefined) manifest.alternativeTaken = probe.alternativeTaken;
    if (!isUprobe(attach)) {
      const block = this.lowerBlock(probe, probe.filter, probe.body, [plainAttachPoint(attach)], [`${where}  ${describeAttach(attach)}`]);
      return { blocks: [block], manifest };
    }
    if (probe.skipped !== undefined || probe.attachments.length === 0) {
      // A member of an .orElse group is left out when another member was taken: no error, no warning.
      const inGroup = attach.group !== undefined && probe.skipped !== undefined;
      if (!attach.optional && !inGroup) {
        throw new BackendError(BackendCode.NoSymbols, `${describeAttach(attach)} resolved to no symbol`, probe.loc);
      }
      manifest.skipped = probe.skipped ?? "resolved to no symbol";
      if (!inGroup) this.warnings.push(optionalPointSkipped(probe.loc, attach.patterns.join(" | "), attach.binary));
      const note: BtProbe = { comments: [`${where}  ${describeAttach(attach)}: left out, ${manifest.skipped}`], attachPoints: [], predicate: null, body: [] };
      return { blocks: [note], manifest };
    }
    const binary = this.binaries.get(attach.binary);
    if (!binary) throw new BackendError(BackendCode.Undeclared, `binary '${attach.binary}' has no resolved path`, probe.loc);
    const blocks: BtProbe[] = [];
    const seenHere = new Set<string>();
    for (const group of probe.attachments) {
      const points: string[] = [];
      const comments = [`${where}  ${describeAttach(attach)}`];
      const shared = namesAtSeveralAddresses(group.symbols);
      const namedHere = new Set<string>();
      for (const sym of group.symbols) {
        const key = `${attach.kind}|${binary.path}|${sym.address}`;
        if (seenHere.has(key)) continue; // an alias (C1/C2, D1/D2) of a symbol already attached here
        seenHere.add(key);
        const owner = this.addressOwners.get(key);
        if (owner && owner.probeId !== probe.id) {
          this.warnings.push(
            backendWarning(
              BackendWarning.SharedAddress,
              `${sym.demangled} is also probed by ${owner.probeId} (${basename(owner.loc.file)}:${owner.loc.line}); both handlers run, each once`,
              probe.loc,
            ),
          );
        } else if (!owner) this.addressOwners.set(key, { probeId: probe.id, loc: probe.loc });
        if (shared.has(sym.mangled)) {
          // bpftrace attaches a name (or an address, which it turns back into a name) to the first
          // symbol of that name only: attach it once, and say which copies go unseen.
          if (namedHere.has(sym.mangled)) continue;
          namedHere.add(sym.mangled);
          const copies = shared.get(sym.mangled)!;
          this.warnings.push(
            backendWarning(
              BackendWarning.SharedName,
              `${sym.demangled} names ${copies.length} local functions (${copies.map((a) => `0x${a.toString(16)}`).join(", ")}); bpftrace attaches the name to the first of them in the symbol table only, so calls to the others are not seen`,
              probe.loc,
            ),
          );
        }
        points.push(this.attachPointOnce(attach.kind, binary.path, sym.mangled, probe.loc));
        manifest.symbols.push({ binary: binary.name, mangled: sym.mangled, demangled: sym.demangled, address: sym.address, size: sym.size });
        if (points.length <= LISTED_SYMBOLS) comments.push(`  ${sym.demangled}  @0x${sym.address.toString(16)}`);
      }
      if (points.length > LISTED_SYMBOLS) comments.push(`  … and ${points.length - LISTED_SYMBOLS} more`);
      if (points.length === 0) continue;
      blocks.push(this.lowerBlock(probe, group.filter, group.body, points, comments));
    }
    return { blocks, manifest };
  }

  private readonly badPaths = new Set<string>();

  /** The attach point; an unwritable path is reported once, at the first probe that uses it. */
  private attachPointOnce(kind: "uprobe" | "uretprobe", path: string, mangled: string, loc: SourceLoc): string {
    try {
      return uprobeAttachPoint(kind, path, mangled, loc);
    } catch (err) {
      if (err instanceof BackendError && this.badPaths.has(path)) throw new AlreadyReported();
      this.badPaths.add(path);
      throw err;
    }
  }

  private lowerBlock(probe: ResolvedProbe, filter: Expr | null, body: ResolvedProbe["body"], attachPoints: string[], comments: string[]): BtProbe {
    const scope = new ProbeScope(this.facts, probe.loc, probe.attach.kind);
    // A predicate cannot run statements first, so it gets no temporaries.
    scope.allowTemps = false;
    const predicate = filter ? new ExprLowerer(scope).lower(filter, probe.loc) : null;
    scope.allowTemps = true;
    const stmts = new StmtLowerer(scope, this.events).lowerBlock(body);
    return { comments, attachPoints, predicate, body: stmts, loc: probe.loc };
  }
}

/**
 * Makes BEGIN print READY_MARKER before anything else: bpftrace 0.17 runs BEGIN once every probe
 * is attached, so that line is the runtime's signal that probes fire. bpftrace allows one BEGIN
 * block: a user's `begin()` gets the marker as its first statement, otherwise a block is added
 * after the others (so the user's probes keep their place in the script).
 */
function announceReadiness(blocks: BtProbe[]): void {
  const marker: BtStmt = { kind: "expr", expr: { kind: "call", fn: "printf", args: [{ kind: "string", value: `${READY_MARKER}\n` }] } };
  const begin = blocks.find((b) => b.attachPoints.includes("BEGIN"));
  if (begin) begin.body.unshift(marker);
  else blocks.push({ comments: ["probec: prints the readiness marker once every probe is attached"], attachPoints: ["BEGIN"], predicate: null, body: [marker] });
}

/**
 * bpftrace prints every non-empty map when it exits, after END. What is not a result must not be
 * printed as one: probec's state (per-thread values such as start timestamps, presence maps) is
 * cleared in END, and so is a map END has just printed (otherwise it comes out twice). A map
 * nobody prints still comes out once, in bpftrace's exit dump. Only maps the script writes are
 * named: bpftrace rejects a clear() of a map that does not exist.
 */
function clearStateAtEnd(blocks: BtProbe[], program: ResolvedProgram): void {
  const written = mapsWritten(program);
  const end = blocks.find((b) => b.attachPoints.includes("END"));
  const printed = new Set<string>();
  if (end) {
    walkBtStmts(end.body, (s) => {
      if (s.kind === "expr" && s.expr.kind === "call" && s.expr.fn === "print" && s.expr.args[0]?.kind === "map") printed.add(s.expr.args[0].name);
    });
  }
  const state = program.maps.filter((m) => (m.shape === "perThread" || m.presenceOf !== undefined) && written.has(m.name)).map((m) => m.name);
  const names = [...new Set([...printed, ...state])].filter((n) => written.has(n));
  if (names.length === 0) return;
  const clears: BtStmt[] = names.map((name) => ({ kind: "expr", expr: { kind: "call", fn: "clear", args: [{ kind: "map", name, key: null }] } }));
  if (end) end.body.push(...clears);
  else blocks.push({ comments: ["probec: state maps are not results; bpftrace would print them at exit"], attachPoints: ["END"], predicate: null, body: clears });
}

function walkBtStmts(stmts: BtStmt[], visit: (s: BtStmt) => void): void {
  for (const s of stmts) {
    visit(s);
    if (s.kind === "if") {
      walkBtStmts(s.then, visit);
      walkBtStmts(s.else, visit);
    } else if (s.kind === "unroll") walkBtStmts(s.body, visit);
  }
}

/** Names that more than one address carries (local functions of different files), with those addresses. */
function namesAtSeveralAddresses(symbols: readonly { mangled: string; address: number }[]): Map<string, number[]> {
  const addresses = new Map<string, number[]>();
  for (const s of symbols) {
    const list = addresses.get(s.mangled);
    if (list === undefined) addresses.set(s.mangled, [s.address]);
    else if (!list.includes(s.address)) list.push(s.address);
  }
  for (const [name, list] of addresses) if (list.length < 2) addresses.delete(name);
  return addresses;
}
