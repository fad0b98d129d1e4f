// Builds bpftrace's argv and environment for a run: JSON output, positional parameters in the
// manifest's order, the target (-p PID or -c "CMD" as one argv element), BPFTRACE_STRLEN.
// Never a shell: every value here is one argv element.
import { existsSync } from "node:fs";
import type { Manifest } from "../../compiler/ir/manifest.js";
import { INT_PARAM_SPELLING, intParamArgument } from "../../compiler/ir/param-value.js";
import { RUN_ERRORS, RunError } from "../run-error.js";

export type RunTarget = { pid: number } | { command: string };

/** bpftrace 0.17 keeps strings on the 512-byte BPF stack and refuses BPFTRACE_STRLEN above 200. */
export const MAX_STRLEN = 200;
const DEFAULT_STRLEN = 64;

export interface BpftraceInvocation {
  args: string[];
  env: Record<string, string>;
}

export function positionalParams(manifest: Pick<Manifest, "params">, given: Record<string, string | number>): string[] {
  const known = new Map(manifest.params.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const list = manifest.params.map((p) => p.name).join(", ") || "none";
      throw new RunError(RUN_ERRORS.badParam, `unknown parameter '${name}' (the script declares: ${list})`);
    }
  }
  const byPosition = [...manifest.params].sort((a, b) => a.position - b.position);
  const out: string[] = [];
  for (const p of byPosition) {
    let raw = Object.hasOwn(given, p.name) ? String(given[p.name]) : p.default;
    if (raw === undefined) throw new RunError(RUN_ERRORS.badParam, `parameter '${p.name}' is required: pass --param ${p.name}=VALUE`);
    if (p.kind === "int") {
      const arg = intParamArgument(raw);
      if (arg === null) throw new RunError(RUN_ERRORS.badParam, `parameter '${p.name}' must be ${INT_PARAM_SPELLING}, got '${raw}'`);
      raw = arg;
    }
    // bpftrace numbers positional parameters from 1 with no gaps; fill a gap with an empty value.
    while (out.length < p.position - 1) out.push("");
    out[p.position - 1] = raw;
  }
  return out;
}

/** The string limit the manifest's sized strings need (text plus NUL), within bpftrace's bounds. */
export function neededStrlen(manifest: Pick<Manifest, "events">): number | null {
  let need = 0;
  for (const e of manifest.events) {
    for (const f of e.fields) if (f.type.kind === "sizedString") need = Math.max(need, f.type.limit + 1);
  }
  return need > DEFAULT_STRLEN ? Math.min(need, MAX_STRLEN) : null;
}

export function checkTarget(target: RunTarget | undefined): void {
  if (target === undefined) return;
  if ("pid" in target) {
    if (!Number.isInteger(target.pid) || target.pid <= 0) throw new RunError(RUN_ERRORS.badTarget, `-p needs a process id, got '${target.pid}'`);
    if (!existsSync(`/proc/${target.pid}`)) throw new RunError(RUN_ERRORS.badTarget, `no process with pid ${target.pid}`);
  } else if (target.command.trim() === "") {
    throw new RunError(RUN_ERRORS.badTarget, "-c needs a command");
  }
}

export function bpftraceInvocation(
  scriptPath: string,
  manifest: Pick<Manifest, "params" | "events" | "bpftraceEnv">,
  params: Record<string, string | number>,
  target: RunTarget | undefined,
): BpftraceInvocation {
  checkTarget(target);
  const args = ["-f", "json"];
  if (target && "pid" in target) args.push("-p", String(target.pid));
  if (target && "command" in target) args.push("-c", target.command);
  // `--`: a negative parameter (`-32`) would otherwise be read as an option by bpftrace's getopt.
  args.push("--", scriptPath, ...positionalParams(manifest, params));
  const env: Record<string, string> = {};
  const strlen = neededStrlen(manifest);
  if (strlen !== null) env.BPFTRACE_STRLEN = String(strlen);
  Object.assign(env, manifest.bpftraceEnv ?? {});
  return { args, env };
}
