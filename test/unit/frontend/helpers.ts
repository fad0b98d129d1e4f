// Shared by the front-end tests: compile a fixture or an inline probe source.
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compileProbeFile, type CompileOptions, type CompileResult } from "../../../compiler/frontend/index.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixture = (name: string) => join(repoRoot, "test/fixtures/probes", name);

let scratch: string | null = null;

/** Writes `files` (name → text) to a fresh directory and compiles the first one. */
export function compileSources(files: Record<string, string>, options: CompileOptions = {}): CompileResult & { dir: string } {
  scratch ??= mkdtempSync(join(tmpdir(), "probec-frontend-"));
  const dir = mkdtempSync(join(scratch, "case-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const entry = Object.keys(files)[0]!;
  return { ...compileProbeFile(join(dir, entry), { cwd: dir, ...options }), dir };
}

/** Compiles one inline probe file (named probe.probe.ts) with the DSL imported as a namespace `p` and by name. */
export function compileSource(text: string, options: CompileOptions = {}) {
  return compileSources({ "probe.probe.ts": text }, options);
}

/** `code@line:col` of each diagnostic, for compact assertions. */
export function where(r: CompileResult): string[] {
  return r.diagnostics.map((d) => `${d.source === "ts" ? "TS" : "PC"}${d.code}@${d.loc ? `${d.loc.line}:${d.loc.column}` : "-"}`);
}
