// `probec demangle` start-up is part of its benchmark: its module graph must stay within the
// demangler (plus the shared usage-error helper) and node's built-ins — no typescript, ts-morph
// or other project stages. The demangler itself depends on nothing else in the project.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph as graph } from "../module-graph.js";
import { repoRoot } from "./support.js";

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
