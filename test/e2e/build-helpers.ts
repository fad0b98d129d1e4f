// Helpers for the e2e tests of `probec build`: build an example against a fixture with the real
// front end, resolver and ABI stage; run the script under the real bpftrace; and decode what it
// prints with the manifest's event layouts (a small, independent reading of the contract in
// compiler/ir/manifest.ts — the runtime has its own).
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseBpftraceTarget } from "../../compiler/backend/index.js";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import { compileProbeFile } from "../../compiler/frontend/index.js";
import type { Manifest, ManifestEvent } from "../../compiler/ir/manifest.js";
import { buildProbeFile, type BuildResult, type SymbolSource } from "../../compiler/pipeline/index.js";
import { decodeBpftraceJsonString } from "./harness.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Every `*.probe.ts` under examples/, relative to the repository. */
export function exampleProbeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".probe.ts")) out.push(relative(repoRoot, p));
    }
  };
  walk(join(repoRoot, "examples"));
  return out.sort();
}

export interface BuiltExample {
  result: BuildResult;
  script: string;
  manifest: Manifest;
  scriptPath: string;
}

async function realSymbols(): Promise<SymbolSource> {
  const { RealSymbolSource } = await import("../../compiler/pipeline/real-symbol-source.js");
  return new RealSymbolSource({ cache: false });
}

/** Builds `example` with every binary it declares bound to `binaryPath`; throws with tsc-style diagnostics on failure. */
export async function buildExample(example: string, binaryPath: string, opts: { version?: string; defines?: Record<string, string> } = {}): Promise<BuiltExample> {
  const out = mkdtempSync(join(tmpdir(), "probec-e2e-build-"));
  const scriptPath = join(out, example.replace(/^.*\//, "").replace(/\.probe\.ts$/, ".bt"));
  const front = compileProbeFile(join(repoRoot, example), { cwd: repoRoot, ...(opts.defines ? { defines: opts.defines } : {}) });
  const binaries = new Map((front.program?.binaries ?? []).map((b) => [b.name, binaryPath]));
  const symbols = await realSymbols();
  try {
    const result = buildProbeFile({
      input: join(repoRoot, example),
      binaries,
      output: scriptPath,
      target: parseBpftraceTarget(opts.version ?? "0.17"),
      params: new Map(),
      defines: opts.defines ?? {},
      probecVersion: "e2e",
      cwd: repoRoot,
      symbols,
      frontend: () => front,
    });
    if (!result.ok || !result.script || !result.manifest) {
      throw new Error(`probec build ${example} failed:\n${formatDiagnostics(result.diagnostics, { cwd: repoRoot, sources: result.sources })}`);
    }
    return { result, script: result.script, manifest: result.manifest, scriptPath };
  } finally {
    symbols.close();
  }
}

/** Positional parameters for a manifest: every int parameter named like a PID gets `pid`, others their value or default. */
export function paramsFor(manifest: Manifest, pid: number): string[] {
  return [...manifest.params]
    .sort((a, b) => a.position - b.position)
    .map((p) => (p.kind === "int" && /PID/i.test(p.name) ? String(pid) : (p.default ?? (p.kind === "int" ? "0" : ""))));
}

/** The script with `exit();` in its BEGIN block (bpftrace allows one), or a new `BEGIN { exit(); }`. */
export function exitOnBegin(script: string): string {
  const m = /^BEGIN\s*\n\{/m.exec(script);
  if (!m) return `${script}\nBEGIN\n{\n    exit();\n}\n`;
  const at = m.index + m[0].length;
  return `${script.slice(0, at)}\n    exit();${script.slice(at)}`;
}

export interface LoadResult {
  exitCode: number | null;
  /** stdout and stderr, interleaved as bpftrace wrote them. */
  output: string;
  /** Verifier summaries (`bpftrace -v`): instructions per loaded program. */
  programs: { insns: number; probe: string }[];
}

/**
 * Loads `script` with `bpftrace -v` (every program goes through the verifier) and lets it exit from
 * BEGIN. stdout and stderr go to one file so each verifier summary stays next to its "Attaching" line.
 */
export function loadOnce(script: string, params: string[], env: Record<string, string>): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "probec-e2e-load-"));
  const file = join(dir, "load.bt");
  const log = join(dir, "load.log");
  writeFileSync(file, exitOnBegin(script));
  const fd = openSync(log, "w");
  return new Promise((resolve, reject) => {
    const child = spawn("bpftrace", ["-v", file, ...params], { env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const output = readFileSync(log, "utf8");
      const programs: LoadResult["programs"] = [];
      const re = /processed (\d+) insns[^\n]*\n(?:[^\n]*\n)*?Attaching ([^\n]+)/g;
      for (let m; (m = re.exec(output)); ) programs.push({ insns: Number(m[1]), probe: m[2]!.trim() });
      resolve({ exitCode: code, output, programs });
    });
  });
}

// ---------------------------------------------------------------- decoding events

export interface DecodedEvent {
  event: string;
  nsecs: bigint;
  pid: number;
  tid: number;
  comm: string;
  fields: Record<string, unknown>;
  /** For sized strings: the true length next to the text (in `fields`). */
  lengths: Record<string, bigint>;
}

/** Raw JSON text of each top-level element of a `{"type": "value", "data": [...]}` line, so strings can be decoded byte-exactly. */
function valueElements(line: string): string[] | null {
  const m = /^\{"type": ?"value", ?"data": ?\[(.*)\]\}$/.exec(line);
  if (!m) return null;
  const body = m[1]!;
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (body.trim() !== "") out.push(body.slice(start).trim());
  return out;
}

function scalar(raw: string): unknown {
  if (raw.startsWith('"')) return decodeBpftraceJsonString(raw.slice(1, -1)).toString("latin1");
  if (/^-?\d+$/.test(raw)) return BigInt(raw);
  return JSON.parse(raw);
}

/** Decodes bpftrace -f json output into events, pairing split events' continuation lines by (tag, tid, nsecs). */
export function decodeEvents(stdout: string, manifest: Manifest): DecodedEvent[] {
  const byTag = new Map<number, ManifestEvent>(manifest.events.map((e) => [e.tag, e]));
  const events: DecodedEvent[] = [];
  const pending = new Map<string, { ev: DecodedEvent; decl: ManifestEvent; missing: number }>();
  for (const line of stdout.split("\n")) {
    const raw = valueElements(line.trim());
    if (!raw || raw.length === 0) continue;
    const tag = Number(raw[0]);
    const decl = byTag.get(Math.abs(tag));
    if (!decl) continue;
    const layout = decl.layout ?? { lines: [{ part: 0, slots: [] }] };
    const part = tag > 0 ? 0 : Number(raw[3]);
    const lineLayout = layout.lines.find((l) => l.part === part);
    if (!lineLayout) throw new Error(`no part ${part} in the layout of ${decl.name}`);
    const values = raw.map(scalar);
    let ev: DecodedEvent;
    let key: string;
    if (part === 0) {
      ev = { event: decl.name, nsecs: 0n, pid: 0, tid: 0, comm: "", fields: {}, lengths: {} };
    } else {
      key = `${decl.tag}|${values[2]}|${values[1]}`;
      const p = pending.get(key);
      if (!p) throw new Error(`continuation without its head: ${line}`);
      ev = p.ev;
    }
    lineLayout.slots.forEach((slot, i) => {
      const v = values[i];
      switch (slot.kind) {
        case "nsecs":
          ev.nsecs = v as bigint;
          break;
        case "pid":
          ev.pid = Number(v);
          break;
        case "tid":
          ev.tid = Number(v);
          break;
        case "comm":
          ev.comm = String(v);
          break;
        case "field":
        case "text":
          ev.fields[slot.field] = v;
          break;
        case "length":
          ev.lengths[slot.field] = v as bigint;
          break;
        default:
          break;
      }
    });
    if (part === 0) {
      if (layout.lines.length === 1) events.push(ev);
      else pending.set(`${decl.tag}|${ev.tid}|${ev.nsecs}`, { ev, decl, missing: layout.lines.length - 1 });
    } else {
      const p = pending.get(key!)!;
      if (--p.missing === 0) {
        pending.delete(key!);
        events.push(p.ev);
      }
    }
  }
  return events;
}
