// The front end alone (type-check + lowering of the seed port, whole process: node start-up,
// loading TypeScript, checking, lowering) against `tsc --noEmit` on the same file, alternated round
// by round. Shows how much of `probec build` the front end takes. Run after `npm run build`.
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMs, measureCommand, median, roundsFromEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const frontend = join(root, "dist/compiler/frontend/index.js");
if (!existsSync(frontend)) {
  console.error("frontend.bench: dist/ is missing; run `npm run build` first");
  process.exit(1);
}
const probeFile = join(root, "examples/envoy/accept-flow.probe.ts");
const rounds = roundsFromEnv(5);
const driver = join(mkdtempSync(join(tmpdir(), "probec-frontend-bench-")), "compile.mjs");
writeFileSync(
  driver,
  `import { compileProbeFile } from ${JSON.stringify(frontend)};\n` +
    `const r = compileProbeFile(${JSON.stringify(probeFile)});\n` +
    `if (r.program === null) { console.error(r.diagnostics); process.exit(1); }\n`,
);

const tscArgv = [process.execPath, join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--ignoreConfig", "--strict", "--module", "nodenext", "--target", "es2022", probeFile];
const feArgv = [process.execPath, driver];
const tscTimes = [];
const feTimes = [];
measureCommand(tscArgv, { rounds: 1, warmup: 0, cwd: root });
measureCommand(feArgv, { rounds: 1, warmup: 0, cwd: root });
for (let i = 0; i < rounds; i++) {
  tscTimes.push(measureCommand(tscArgv, { rounds: 1, warmup: 0, cwd: root }).median);
  feTimes.push(measureCommand(feArgv, { rounds: 1, warmup: 0, cwd: root }).median);
}
const t = median(tscTimes);
const f = median(feTimes);
console.log(`\nfrontend: compileProbeFile of the seed port (whole process) vs tsc --noEmit on the same file, median of ${rounds}`);
console.log(`  tsc --noEmit          ${formatMs(t)}`);
console.log(`  probec front end      ${formatMs(f)}`);
console.log(`  ratio front end/tsc   ${(f / t).toFixed(2)}x`);
