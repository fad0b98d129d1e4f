// Assembles the manifest from the resolved program and the generated script, applies --param
// values, and validates the result against the schema before anything is written.
import { basename } from "node:path";
import type { GeneratedScript } from "../backend/index.js";
import type { ProbeDiagnostic } from "../diagnostics/index.js";
import { MANIFEST_VERSION, type Manifest } from "../ir/manifest.js";
import type { ParamDecl, ResolvedProgram } from "../ir/program.js";
import { manifestProblems } from "../ir/validate-manifest.js";
import { parseIntParam } from "../ir/param-value.js";
import { badParamValue, invalidManifest, unknownParam } from "./build-diagnostics.js";


/** The program's parameters with `--param NAME=VALUE` applied as their values. */
export function applyParams(params: ParamDecl[], given: ReadonlyMap<string, string>): { params: ParamDecl[]; diagnostics: ProbeDiagnostic[] } {
  const diagnostics: ProbeDiagnostic[] = [];
  const names = params.map((p) => p.name);
  for (const [name, value] of given) {
    const p = params.find((x) => x.name === name);
    if (!p) diagnostics.push(unknownParam(name, names));
    else if (p.kind === "int" && parseIntParam(value) === null) diagnostics.push(badParamValue(name, value));
  }
  const out = params.map((p) => (given.has(p.name) ? { ...p, default: given.get(p.name)! } : { ...p }));
  return { params: out, diagnostics };
}

export interface ManifestInputs {
  program: ResolvedProgram;
  params: ParamDecl[];
  script: GeneratedScript;
  scriptPath: string;
  bpftraceVersion: string;
  probecVersion: string;
  /** Warnings of every stage, recorded so `probec run` can repeat them. */
  warnings: ProbeDiagnostic[];
}

export function buildManifest(i: ManifestInputs): { manifest: Manifest } | { diagnostic: ProbeDiagnostic } {
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    probecVersion: i.probecVersion,
    source: i.program.source,
    bpftraceVersion: i.bpftraceVersion,
    script: basename(i.scriptPath),
    bpftraceEnv: i.script.bpftraceEnv,
    readyMarker: i.script.readyMarker,
    binaries: i.program.resolvedBinaries,
    params: i.params,
    probes: i.script.probes,
    events: i.script.events,
    maps: i.program.maps,
    lineMap: i.script.lineMap,
    warnings: i.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.loc ? { loc: w.loc } : {}) })),
  };
  const problems = manifestProblems(manifest);
  return problems.length > 0 ? { diagnostic: invalidManifest(problems) } : { manifest };
}
