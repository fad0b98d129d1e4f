// Helpers for the ABI end-to-end tests: a stand-in symbol table (nm + c++filt, until the resolver
// lands), a ResolvedProgram built from hand-written probe IR lowered by the ABI stage, printed by
// the real backend, and events decoded by the real runtime decoder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectAbslStringView, lowerProbe, type AbiBinary, type AbiSymbol } from "../../compiler/abi/index.js";
import { generateScript, parseBpftraceTarget, type GeneratedScript } from "../../compiler/backend/index.js";
import type { EventDecl, Expr, Probe, ResolvedProbe, ResolvedProgram, SourceLoc } from "../../compiler/ir/program.js";
import { splitTopLevel } from "../../compiler/abi/ctype.js";
import { LineDecoder } from "../../runtime/decode/line-decoder.js";
import { driveTraffic, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { startBpftrace, startFixture, type BpftraceSession } from "./harness.js";
import type { FieldValue } from "../../runtime/types.js";

export interface SymbolTable {
  symbols: AbiSymbol[];
  abslStringView: "class" | "alias";
}

/** The printed parameter list of a demangled function name (c++filt style), or null. */
export function paramsOfDemangled(demangled: string): string[] | null {
  const text = demangled.replace(/(\s*\[clone [^\]]*\])+$/, "").replace(/(\s*(const|volatile|&&|&))+$/, "");
  if (!text.endsWith(")")) return null;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ")" || c === ">") depth++;
    else if (c === "(" || c === "<") {
      depth--;
      if (depth === 0) {
        const inner = text.slice(i + 1, -1).trim();
        return inner === "" || inner === "void" ? [] : splitTopLevel(inner, ",").map((p) => p.trim());
      }
    }
  }
  return null;
}

/** Function symbols of a binary or shared library (`nm -S`, dynamic table with `dynamic`). */
export function readSymbols(path: string, dynamic = false): SymbolTable {
  const nm = spawnSync("nm", [...(dynamic ? ["-D"] : []), "-S", "--defined-only", path], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (nm.status !== 0) throw new Error(`nm ${path} failed: ${nm.stderr}`);
  const rows = nm.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 4 && /^[tTwW]$/.test(f[2]!) && f[3]!.startsWith("_Z"));
  const mangled = rows.map((r) => r[3]!.replace(/@.*$/, ""));
  const filt = spawnSync("c++filt", [], { input: mangled.join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 28 });
  const demangled = filt.stdout.split("\n");
  const symbols = rows.map((r, i) => ({
    mangled: mangled[i]!,
    demangled: demangled[i]!,
    address: parseInt(r[0]!, 16),
    size: parseInt(r[1]!, 16),
    params: paramsOfDemangled(demangled[i]!),
  }));
  return { symbols, abslStringView: detectAbslStringView(mangled) };
}

/** The symbols whose demangled name matches, deduplicated by address; throws when there is none. */
export function pick(table: SymbolTable, re: RegExp): AbiSymbol[] {
  const seen = new Set<number>();
  const out = table.symbols.filter((s) => re.test(s.demangled) && !seen.has(s.address) && (seen.add(s.address), true));
  if (out.length === 0) throw new Error(`no symbol matches ${re}`);
  return out;
}

export const LOC = (line: number): SourceLoc => ({ file: "abi-e2e.probe.ts", line, column: 1 });

export interface ProbeSpec {
  probe: Probe;
  symbols: AbiSymbol[];
}

/** Lowers every probe with the ABI stage and prints the script with the real backend. */
export function buildScript(specs: ProbeSpec[], events: EventDecl[], binary: AbiBinary): { script: GeneratedScript; file: string; warnings: string[] } {
  const probes: ResolvedProbe[] = [];
  const warnings: string[] = [];
  for (const { probe, symbols } of specs) {
    const r = lowerProbe(probe, symbols, binary);
    if (!r.ok) throw new Error(`ABI lowering failed for ${probe.id}:\n${r.diagnostics.map((d) => `PC${d.code} ${d.message}`).join("\n")}`);
    warnings.push(...r.diagnostics.map((d) => d.message));
    probes.push({ ...probe, attachments: r.attachments });
  }
  const program: ResolvedProgram = {
    irVersion: 1,
    source: "abi-e2e.probe.ts",
    binaries: [{ name: binary.name, loc: LOC(1) }],
    params: [],
    maps: [],
    events,
    probes,
    resolvedBinaries: [{ name: binary.name, path: binary.path, buildId: binary.buildId, arch: binary.arch, stdlib: binary.stdlib }],
  };
  const generated = generateScript(program, { target: parseBpftraceTarget("0.17"), probecVersion: "test" });
  if (!generated.ok) throw new Error(`backend failed: ${JSON.stringify(generated.errors)}`);
  const dir = mkdtempSync(join(tmpdir(), "probec-abi-"));
  const file = join(dir, "abi.bt");
  writeFileSync(file, generated.script.text);
  return { script: generated.script, file, warnings };
}

export interface ReadyScript {
  scriptFile: string;
  env: Record<string, string>;
  /** bpftrace positional parameters ($1, …). */
  params?: (string | number)[];
}

export interface ReadyRun {
  binary: string;
  /**
   * Makes the script once the fixture runs, so it can filter on the fixture's PID: uprobes attach
   * to the binary's inode and fire in every process running it — another test's fixture included.
   */
  script: (fixturePid: number) => ReadyScript;
  /** What the script's BEGIN probe prints. */
  ready: string;
  /** `value` lines to wait for after the traffic. */
  expectedLines: number;
}

/**
 * Runs the script on the fixture and drives one connection per hostile SNI, but only once BEGIN
 * has printed: bpftrace 0.17 reports its probes as attached before the uprobes are live (a first
 * version that started traffic on `attached_probes` saw no event at all), and BEGIN fires after
 * every attachment.
 */
export async function traceWhenReady(run: ReadyRun): Promise<string> {
  const fixture = await startFixture(run.binary);
  let bt: BpftraceSession | undefined;
  try {
    const script = run.script(fixture.pid);
    bt = await startBpftrace({ scriptFile: script.scriptFile, json: true, env: { ...process.env, ...script.env }, params: script.params ?? [] });
    await bt.waitForOutput((out) => out.includes(run.ready), 60_000);
    await driveTraffic(fixture.port, Object.values(HOSTILE_SNIS).map((sni) => ({ sni })));
    await bt.waitForOutput((out) => out.split("\n").filter((l) => l.startsWith('{"type": "value"')).length >= run.expectedLines, 15_000);
    return (await bt.stop()).stdout;
  } finally {
    if (bt) await bt.stop(2_000);
    await fixture.stop(2_000);
  }
}

/** `pid == N`: keeps a probe to one process. */
export function onlyPid(pid: number): Expr {
  return { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "int", value: String(pid) } };
}

export interface DecodedEvent {
  event: string;
  fields: Record<string, FieldValue>;
}

/** Decodes bpftrace's `-f json` output with the runtime's decoder. */
export function decodeEvents(stdout: string, script: Pick<GeneratedScript, "events">): { events: DecodedEvent[]; problems: string[] } {
  const decoder = new LineDecoder({ events: script.events, maps: [] });
  const events: DecodedEvent[] = [];
  const problems: string[] = [];
  for (const line of [...stdout.split("\n").flatMap((l) => decoder.decode(l)), ...decoder.finish()]) {
    if (line.kind === "event") events.push({ event: line.event.event, fields: line.event.fields as Record<string, FieldValue> });
    else if (line.kind === "malformed") problems.push(`${line.malformed.reason}: ${line.malformed.excerpt}`);
  }
  return { events, problems };
}

/** The exact bytes of a decoded sized string, and its true length. */
export function sizedBytes(v: FieldValue | undefined): { bytes: Buffer; length: number } {
  if (typeof v !== "object" || v === null || !("length" in v) || !("text" in v)) throw new Error(`not a sized string: ${JSON.stringify(v)}`);
  const s = v as { text: string; length: number; bytesHex?: string };
  return { bytes: s.bytesHex !== undefined ? Buffer.from(s.bytesHex, "hex") : Buffer.from(s.text, "utf8"), length: s.length };
}
