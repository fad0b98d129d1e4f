// `probec build` with the real stages wired in: the TypeScript front end and the ELF resolver.
// What the CLI runs, and what `probec run` uses to build a .probe.ts before running it.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BPFTRACE_VERSION, parseBpftraceTarget } from "../backend/index.js";
import { buildProbeFile, type BuildResult } from "./build.js";
import { RealSymbolSource } from "./real-symbol-source.js";

export interface BuildFileOptions {
  /** `--binary NAME=PATH` bindings. */
  binaries: ReadonlyMap<string, string> | Record<string, string>;
  /** Script path (`-o`); the manifest goes next to it. Default: from the input's name. */
  output?: string;
  /** Default 0.17. Throws TargetVersionError for a version probec does not write for. */
  bpftraceVersion?: string;
  params?: ReadonlyMap<string, string> | Record<string, string>;
  defines?: Record<string, string>;
  inlineNamespaces?: readonly string[];
  /** false disables the resolver's on-disk cache. */
  symbolCache?: boolean;
  cwd?: string;
  /** Default true; false builds in memory only. */
  write?: boolean;
}

const asMap = (m: ReadonlyMap<string, string> | Record<string, string> | undefined): ReadonlyMap<string, string> =>
  m === undefined ? new Map() : m instanceof Map ? m : new Map(Object.entries(m));

/** probec's version from its package.json, found upwards from this module (in dist/ or in the sources). */
export function probecVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "probec" && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep looking
    }
    if (dirname(dir) === dir) return "unknown";
  }
}

export async function buildFile(input: string, options: BuildFileOptions): Promise<BuildResult> {
  const target = parseBpftraceTarget(options.bpftraceVersion ?? DEFAULT_BPFTRACE_VERSION);
  // Loaded on demand: the front end brings in TypeScript, which only a build needs.
  const { compileProbeFile } = await import("../frontend/index.js");
  const symbols = new RealSymbolSource({
    ...(options.inlineNamespaces ? { inlineNamespaces: options.inlineNamespaces } : {}),
    ...(options.symbolCache === false ? { cache: false } : {}),
  });
  try {
    return buildProbeFile({
      input,
      binaries: asMap(options.binaries),
      ...(options.output !== undefined ? { output: options.output } : {}),
      target,
      params: asMap(options.params),
      defines: options.defines ?? {},
      probecVersion: probecVersion(),
      cwd: options.cwd ?? process.cwd(),
      symbols,
      frontend: compileProbeFile,
      ...(options.write === false ? { write: false } : {}),
    });
  } finally {
    symbols.close();
  }
}
