// `probec build` of the seed port (examples/envoy/accept-flow.probe.ts) against the fixture, cold
// (a fresh resolver cache every round), whole process, against `tsc --noEmit` on the same file in the
// same run. Goal: probec ≤ 1.5 × tsc. Run after `npm run build`.
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { benchEnv, formatMs, measureCommand, median, roundsFromEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist/compiler/cli/main.js");
const probeFile = join(root, "examples/envoy/accept-flow.probe.ts");
const rounds = roundsFromEnv(5);
const scratch = mkdtempSync(join(tmpdir(), "probec-build-bench-"));

function fail(msg) {
  console.error(`build.bench: ${msg}`);
  process.exit(1);
}
if (!existsSync(cli)) fail("dist/ is missing; run `npm run build` first");

/** A built fixture (any variant: the build resolves against its symbols); built by the e2e tests or codegen.bench. */
function fixtureBinary() {
  const dir = join(root, "test/fixtures/envoy/build");
  // The newest build of the variant (the fixture builder keys builds by a hash of their sources).
  const variant = existsSync(dir)
    ? readdirSync(dir)
        .filter((d) => d.startsWith("1.19-clang-absl-class-") && existsSync(join(dir, d, "envoy")))
        .sort((a, b) => statSync(join(dir, b, "envoy")).mtimeMs - statSync(join(dir, a, "envoy")).mtimeMs)[0]
    : undefined;
  if (variant) return join(dir, variant, "envoy");
  // Fall back to any ELF with C++ symbols would change what is measured: ask for the fixture instead.
  const mod = spawnSync(process.execPath, [join(root, "bench/codegen.bench.mjs")], { stdio: "ignore", env: { ...process.env, BENCH_ROUNDS: "1" } });
  if (mod.status !== 0) fail("no fixture build found; run the e2e tests or bench/codegen.bench.mjs once");
  return fixtureBinary();
}

const fixture = fixtureBinary();
const tscArgv = [process.execPath, join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--ignoreConfig", "--strict", "--module", "nodenext", "--target", "es2022", probeFile];
const probecArgv = [process.execPath, cli, "build", probeFile, "--binary", `envoy=${fixture}`, "-o", join(scratch, "accept-flow.bt")];

// Alternate the two tools round by round so both see the same machine state.
const tscTimes = [];
const probecTimes = [];
measureCommand(tscArgv, { rounds: 1, warmup: 0, cwd: root });
measureCommand(probecArgv, { rounds: 1, warmup: 0, cwd: root, env: { ...benchEnv, XDG_CACHE_HOME: mkdtempSync(join(scratch, "cache-")) } });
for (let i = 0; i < rounds; i++) {
  tscTimes.push(measureCommand(tscArgv, { rounds: 1, warmup: 0, cwd: root }).median);
  const cold = { ...benchEnv, XDG_CACHE_HOME: mkdtempSync(join(scratch, "cache-")) };
  probecTimes.push(measureCommand(probecArgv, { rounds: 1, warmup: 0, cwd: root, env: cold }).median);
}
const t = median(tscTimes);
const p = median(probecTimes);
console.log(`\nbuild: probec build of the seed port (cold cache, whole process) vs tsc --noEmit on the same file, median of ${rounds}`);
console.log(`  tsc --noEmit        ${formatMs(t)}`);
console.log(`  probec build (cold) ${formatMs(p)}`);
console.log(`  ratio probec/tsc    ${(p / t).toFixed(2)}x (goal <= 1.5x)`);
