import { test } from "vitest";
import { readFileSync } from "node:fs";
import { buildFile } from "../../compiler/pipeline/index.js";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
test("s", async () => {
  const f = process.env.F!;
  const r = await buildFile(f, { binaries: {}, output: f.replace(/\.probe\.ts$/, ".bt"), cwd: "/tmp/es", symbolCache: false });
  console.log(formatDiagnostics(r.diagnostics, { cwd: "/tmp/es", sources: r.sources }));
  if (r.script) console.log(r.script);
}, 60000);
