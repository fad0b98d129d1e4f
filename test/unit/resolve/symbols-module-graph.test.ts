// `probec symbols` must start fast: its module graph (static and dynamic imports, followed from the
// command's source) never reaches the TypeScript compiler, ts-morph or the front end.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;

function graph(entry: string, followDynamic = true): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      if (m[2] !== undefined && !followDynamic) continue;
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith(".")) todo.push(join(dirname(file), spec).replace(/\.js$/, ".ts"));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe("probec symbols module graph", () => {
  it("excludes typescript, ts-morph and the front end", () => {
    const { files, packages } = graph(join(ROOT, "compiler/cli/commands/symbols.ts"));
    expect(files.size).toBeGreaterThan(10); // the walk really followed the engine
    expect([...files].some((f) => f.includes("/symbols/demangle/"))).toBe(true);
    for (const p of packages) expect(p, `symbols imports package ${p}`).toMatch(/^node:/);
    for (const f of files) expect(f).not.toMatch(/\/(frontend|backend)\//);
  });

  it("is the module the CLI dispatcher loads lazily", () => {
    const mainSource = readFileSync(join(ROOT, "compiler/cli/main.ts"), "utf8");
    expect(mainSource).toMatch(/symbols:.*import\("\.\/commands\/symbols\.js"\)/);
    const { packages } = graph(join(ROOT, "compiler/cli/main.ts"), false);
    // The dispatcher itself imports only node built-ins statically; commands come via import().
    for (const p of packages) expect(p).toMatch(/^node:/);
  });
});
