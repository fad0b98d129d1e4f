// Reads bpftrace's stderr after it failed and says why, with a stable code: not permitted, a
// probe type the kernel lacks, a script it rejected (its messages mapped back to the probe file
// through the manifest's line map), an attach failure, or a plain crash.
import type { Manifest } from "../../compiler/ir/manifest.js";
import type { SourceLoc } from "../../compiler/ir/program.js";
import { RUN_ERRORS, RunError } from "../run-error.js";

/** Printed by 0.17 on every start when RLIMIT_MEMLOCK cannot be raised; harmless on this kernel. */
const HARMLESS = /couldn't set RLIMIT_MEMLOCK/;
/** `script.bt:12:5-20: ERROR: message` */
const SCRIPT_ERROR = /^(.+?):(\d+):(\d+)(?:-\d+)?: ERROR: (.*)$/;
const TRACEFS_EVENTS = /open\(([^)]*\/(k|u)probe_events)\): No such file or directory/;

export function isHarmlessStderr(line: string): boolean {
  return HARMLESS.test(line);
}

/** The probe-file place of a .bt line: the line-map entry at or before it. */
export function mapBtLine(lineMap: Manifest["lineMap"], btLine: number): SourceLoc | null {
  let best: { btLine: number; loc: SourceLoc } | null = null;
  for (const entry of lineMap) {
    if (entry.btLine <= btLine && (best === null || entry.btLine > best.btLine)) best = entry;
  }
  return best?.loc ?? null;
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

function describeExit(exit: ExitStatus): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Classifies a failed run. `stderrLines` are bpftrace's stderr lines (the harmless ones dropped). */
export function classifyFailure(stderrLines: string[], exit: ExitStatus, lineMap: Manifest["lineMap"] = []): RunError {
  const text = stderrLines.join("\n");
  const tail = stderrLines.slice(-20);
  if (/only supports running as the root user/.test(text)) {
    return new RunError(RUN_ERRORS.notPermitted, "bpftrace must run as root", ["run probec run with sudo (bpftrace 0.17 needs root)"], [], tail);
  }
  if (/Operation not permitted|required BPF maps has failed|EPERM/.test(text)) {
    return new RunError(RUN_ERRORS.notPermitted, "bpftrace lacks the capabilities to load BPF programs", [
      "it needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (or root outside a restricted container)",
    ], [], tail);
  }
  const events = TRACEFS_EVENTS.exec(text);
  if (events) {
    const kind = events[2] === "k" ? "kprobes" : "uprobes";
    return new RunError(RUN_ERRORS.probeTypeUnsupported, `this kernel does not support ${kind} (${events[1]} is missing)`, [
      `use a tracepoint or uprobe instead of ${kind === "kprobes" ? "kprobe/kretprobe" : "uprobe/uretprobe"}, or mount tracefs/debugfs if they are absent`,
    ], [], tail);
  }
  if (/BPF stack limit of 512 bytes is exceeded/.test(text)) {
    return new RunError(RUN_ERRORS.scriptRejected, "the script needs more than bpftrace's 512 bytes of BPF stack in one probe", [
      "long strings printed together overflow it: print them on separate lines (probec build splits events for this) or lower their limits",
    ], [], tail);
  }
  if (/Error loading program|verifier/i.test(text)) {
    return new RunError(RUN_ERRORS.scriptRejected, "the kernel's verifier rejected a probe program", [], [], tail);
  }
  const locations: SourceLoc[] = [];
  const details: string[] = [];
  for (const line of stderrLines) {
    const m = SCRIPT_ERROR.exec(line);
    if (!m) continue;
    const loc = mapBtLine(lineMap, Number(m[2]));
    if (loc) {
      locations.push(loc);
      details.push(`${loc.file}:${loc.line}:${loc.column}: ${m[4]} (bpftrace: ${m[1]}:${m[2]}:${m[3]})`);
    } else {
      details.push(`${m[1]}:${m[2]}:${m[3]}: ${m[4]}`);
    }
  }
  if (details.length > 0) {
    return new RunError(RUN_ERRORS.scriptRejected, "bpftrace rejected the script", details, locations, tail);
  }
  const fork = /Failed to fork child: (.*)/.exec(text);
  if (fork) return new RunError(RUN_ERRORS.badTarget, `bpftrace could not start the -c command: ${fork[1]}`, [], [], tail);
  if (/Error attaching probe|Could not resolve symbol|No probes to attach/.test(text)) {
    return new RunError(RUN_ERRORS.attachFailed, `bpftrace could not attach its probes (it ${describeExit(exit)})`, [], [], tail);
  }
  return new RunError(RUN_ERRORS.bpftraceDied, `bpftrace ${describeExit(exit)}`, tail.length > 0 ? [] : ["it printed nothing on stderr"], [], tail);
}
