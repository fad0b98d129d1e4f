// The build driver: frontend → resolve + ABI → backend → script and manifest on disk.
// Every stage reports diagnostics instead of throwing; nothing is written unless all stages succeed.
import { basename, resolve as resolvePath } from "node:path";
import { generateScript, type BpftraceTarget } from "../backend/index.js";
import { hasErrors, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { CompileOptions, CompileResult } from "../frontend/index.js";
import type { Manifest } from "../ir/manifest.js";
import type { ProbeProgram } from "../ir/program.js";
import { outputClash } from "./build-diagnostics.js";
import { applyParams, buildManifest } from "./manifest-builder.js";
import { outputPathsFor, samePath, type OutputPaths } from "./output-paths.js";
import { resolveProgram } from "./resolve-program.js";
import type { SymbolSource } from "./symbol-source.js";
import { writeAtomically } from "./write-outputs.js";

export interface BuildRequest {
  input: string;
  /** `--binary NAME=PATH` bindings. */
  binaries: ReadonlyMap<string, string>;
  /** `-o OUT.bt`; default from the input name. */
  output?: string;
  target: BpftraceTarget;
  /** `--param NAME=VALUE`: values recorded in the manifest for `probec run`. */
  params: ReadonlyMap<string, string>;
  /** `--define NAME=VALUE`: build-time options of the probe file. */
  defines: Record<string, string>;
  probecVersion: string;
  /** Paths in diagnostics and the IR relative to this folder. */
  cwd?: string;
  /** Resolution against binaries; the real one reads ELF files. */
  symbols: SymbolSource;
  /** The front end (injectable so the driver can be tested on hand-made IR). */
  frontend: (path: string, options: CompileOptions) => CompileResult;
  /** When false, nothing is written (tests, benchmarks of the pipeline itself). */
  write?: boolean;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: ProbeDiagnostic[];
  /** Source texts for the formatter's code frames. */
  sources: ReadonlyMap<string, string>;
  paths: OutputPaths;
  script?: string;
  manifest?: Manifest;
  /** Probes the script attaches (attach points, after merging aliases). */
  probeCount?: number;
}

export function buildProbeFile(req: BuildRequest): BuildResult {
  const paths = outputPathsFor(req.input, req.output);
  const diagnostics: ProbeDiagnostic[] = [];
  const fail = (sources: ReadonlyMap<string, string> = new Map()): BuildResult => ({ ok: false, diagnostics, sources, paths });

  for (const out of [paths.script, paths.manifest]) {
    if (samePath(out, req.input)) {
      diagnostics.push(outputClash(out, "the input probe file"));
      return fail();
    }
  }

  const front = req.frontend(req.input, { defines: req.defines, ...(req.cwd ? { cwd: req.cwd } : {}) });
  diagnostics.push(...front.diagnostics);
  if (front.program === null || hasErrors(front.diagnostics)) return fail(front.sources);
  const program: ProbeProgram = front.program;

  const params = applyParams(program.params, req.params);
  diagnostics.push(...params.diagnostics);

  // bpftrace needs absolute binary paths in attach points; relative ones are taken from the cwd.
  const base = req.cwd ?? process.cwd();
  const bindings = new Map([...req.binaries].map(([name, path]) => [name, resolvePath(base, path)]));
  const resolved = resolveProgram(program, bindings, req.symbols);
  diagnostics.push(...resolved.diagnostics);
  if (resolved.program === null || hasErrors(diagnostics)) return fail(front.sources);

  const generated = generateScript(resolved.program, {
    target: req.target,
    probecVersion: req.probecVersion,
    files: { script: basename(paths.script), manifest: basename(paths.manifest) },
    params: params.params,
  });
  if (!generated.ok) {
    diagnostics.push(...generated.warnings, ...generated.errors);
    return fail(front.sources);
  }
  diagnostics.push(...generated.script.warnings);

  const built = buildManifest({
    program: resolved.program,
    params: params.params,
    script: generated.script,
    scriptPath: paths.script,
    bpftraceVersion: req.target.version,
    probecVersion: req.probecVersion,
    warnings: diagnostics.filter((d) => d.category === "warning"),
  });
  if ("diagnostic" in built) {
    diagnostics.push(built.diagnostic);
    return fail(front.sources);
  }

  if (req.write !== false) {
    const written = writeAtomically([
      { path: paths.script, content: generated.script.text },
      { path: paths.manifest, content: JSON.stringify(built.manifest, null, 2) + "\n" },
    ]);
    if (written) {
      diagnostics.push(written);
      return fail(front.sources);
    }
  }
  return { ok: true, diagnostics, sources: front.sources, paths, script: generated.script.text, manifest: built.manifest, probeCount: generated.script.probeCount };
}
