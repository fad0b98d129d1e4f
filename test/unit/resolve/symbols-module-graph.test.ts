// `probec symbols` must start fast: its module graph (static and dynamic imports, followed from the
// command's source) never reaches the TypeScript compiler, ts-morph or the front end.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph as graph } from "../module-graph.js";

const ROOT = resolve(import.meta.dirname, "../../..");

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

  // `npm run build` bundles the commands whose start-up is a product figure into one module each
  // (scripts/bundle-commands.mjs): a built command that still imports project modules lost that step.
  it.each(["symbols", "demangle"])("is built as one self-contained module: dist/…/commands/%s.js imports only node built-ins", (command) => {
    const built = readFileSync(join(ROOT, `dist/compiler/cli/commands/${command}.js`), "utf8");
    const specifiers = [...built.matchAll(/(?:^|\n)\s*(?:import|export)\b[^"'`;]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) expect(s, `dist/compiler/cli/commands/${command}.js imports ${s}`).toMatch(/^node:/);
    expect(built).toContain("function parseMangledName"); // the demangler is inside
  });
});
