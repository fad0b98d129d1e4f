// Walks a source module's imports (static, and dynamic unless told not to) the way the built CLI
// would load them, so tests can prove a fast command never reaches heavy packages or stages.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;

export interface ModuleGraph {
  /** Project source files reached, as absolute .ts paths. */
  files: Set<string>;
  /** Bare specifiers reached: packages and `node:` built-ins. */
  packages: Set<string>;
}

export function importGraph(entry: string, followDynamic = true): ModuleGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (m[2] !== undefined && !followDynamic) continue;
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith(".")) todo.push(join(dirname(file), spec).replace(/\.js$/, ".ts"));
      else packages.add(spec);
    }
  }
  return { files, packages };
}
