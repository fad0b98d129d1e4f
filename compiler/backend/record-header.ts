// The script header's recording recipe: the exact plain-bpftrace command that records output
// `probec decode` can read (JSON lines, the string limit the events need, the positional parameters
// in order), for machines with bpftrace but no Node.js.
import type { ParamDecl } from "../ir/program.js";

export interface RecordFiles {
  /** The script's file name (`accept-flow.bt`). */
  script: string;
  /** The manifest's file name (`accept-flow.manifest.json`). */
  manifest: string;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word as POSIX sh reads it back unchanged (single quotes; a quote inside is closed, escaped, reopened). */
export function shellWord(text: string): string {
  if (SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A shell variable name for a parameter (its name when it is one already). */
function variableName(param: ParamDecl): string {
  const name = param.name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Header lines: the variables to set for required parameters, the bpftrace command (with
 * BPFTRACE_STRLEN when needed), and the decode command. A parameter with a value given at build
 * time is written as that value; a gap in the positions is an empty argument, as bpftrace needs.
 */
export function recordRecipe(params: readonly ParamDecl[], env: Record<string, string>, files: RecordFiles | undefined): string[] {
  const script = files?.script ?? "SCRIPT.bt";
  const manifest = files?.manifest ?? "SCRIPT.manifest.json";
  const recording = `${script.replace(/\.bt$/, "")}.jsonl`;
  const byPosition = [...params].sort((a, b) => a.position - b.position);
  const args: string[] = [];
  const setFirst: string[] = [];
  for (const p of byPosition) {
    while (args.length < p.position - 1) args.push("''");
    if (p.default !== undefined) args.push(shellWord(p.default));
    else {
      const v = variableName(p);
      setFirst.push(`${v}=<${p.kind === "int" ? "integer" : "text"}>`);
      args.push(`"$${v}"`);
    }
  }
  const envText = Object.entries(env)
    .map(([k, v]) => `${k}=${shellWord(v)} `)
    .join("");
  const lines = ["Record with plain bpftrace (as root; no Node.js needed), then decode anywhere with the manifest:"];
  if (setFirst.length > 0) lines.push(`  ${setFirst.join(" ")}`);
  lines.push(`  ${envText}bpftrace -f json ${shellWord(script)}${args.map((a) => ` ${a}`).join("")} > ${shellWord(recording)}`);
  lines.push(`  probec decode ${shellWord(recording)} --manifest ${shellWord(manifest)}`);
  lines.push(`Or run and decode in one step: probec run ${shellWord(script)}${byPosition.filter((p) => p.default === undefined).map((p) => ` --param ${p.name}=…`).join("")}`);
  return lines;
}
