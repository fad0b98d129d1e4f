// `probec demangle` start-up is part of its benchmark: its module graph must stay within the
// demangler (plus the shared usage-error helper) and node's built-ins — no typescript, ts-morph
// or other project stages. The demangler itself depends on nothing else in the project.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support.js";

const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith(".")) todo.push(join(dirname(file), spec).replace(/\.js$/, ".ts"));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe("demangle module graph", () => {
  it("the command imports only the demangler, the usage helper and node built-ins", () => {
    const { files, packages } = graph(join(repoRoot, "compiler/cli/commands/demangle.ts"));
    expect(files.size).toBeGreaterThan(8);
    for (const p of packages) expect(p, `demangle imports package ${p}`).toMatch(/^node:/);
    for (const f of files) {
      const rel = f.slice(repoRoot.length + 1);
      expect(rel, rel).toMatch(/^compiler\/(symbols\/demangle\/|cli\/commands\/demangle\.ts$|cli\/usage-error\.ts$)/);
    }
  });

  it("the demangler depends on nothing else in the project", () => {
    const { files } = graph(join(repoRoot, "compiler/symbols/demangle/index.ts"));
    for (const f of files) expect(f).toContain("/compiler/symbols/demangle/");
  });
});
