// Where `probec build` writes: `x.probe.ts` → `x.bt` and `x.manifest.json` next to it, or `-o OUT.bt`
// → `OUT.bt` and `OUT.manifest.json`.
import { basename, dirname, join, resolve } from "node:path";

export interface OutputPaths {
  script: string;
  manifest: string;
}

function stem(path: string, suffixes: string[]): string {
  for (const s of suffixes) if (path.endsWith(s) && path.length > s.length) return path.slice(0, -s.length);
  return path;
}

export function outputPathsFor(input: string, output?: string): OutputPaths {
  if (output !== undefined) {
    const base = stem(output, [".bt"]);
    return { script: output.endsWith(".bt") ? output : `${output}.bt`, manifest: `${base}.manifest.json` };
  }
  const name = stem(basename(input), [".probe.ts", ".ts"]);
  const base = join(dirname(input), name);
  return { script: `${base}.bt`, manifest: `${base}.manifest.json` };
}

export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}
