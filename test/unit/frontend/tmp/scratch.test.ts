import { test } from "vitest";
import { compileProbeFile } from "../../../../compiler/frontend/index.js";
import { formatDiagnostics } from "../../../../compiler/diagnostics/index.js";
test("x", () => {
  const r = compileProbeFile(process.env.PROBE!, { cwd: process.cwd() });
  console.log(formatDiagnostics(r.diagnostics, { sources: r.sources }));
  console.log(JSON.stringify(r.program?.probes ?? null));
});
