// `probec symbols` against nm|grep and bpftrace -l on /usr/bin/node, and symbol resolution on a
// synthetic ELF with 1,000,000 C++ function symbols. Whole-process timings of the built CLI unless
// a row says in-process; medians of several rounds; cold = a fresh $XDG_CACHE_HOME each round.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { benchEnv, formatMs, measureCommand, measureFunction, median, printTable, roundsFromEnv, startupNote } from "./lib/measure.mjs";
import { SYNTHETIC_PATTERNS, syntheticElf } from "./synthetic-elf.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist/compiler/cli/main.js");
if (!existsSync(cli)) {
  console.error("symbols.bench: dist/ is missing; run `npm run build` first");
  process.exit(1);
}
const rounds = roundsFromEnv(7);
const NODE_BIN = "/usr/bin/node";
const scratch = mkdtempSync(join(tmpdir(), "probec-symbols-bench-"));
const freshCache = () => mkdtempSync(join(scratch, "cache-"));
const envWith = (xdg) => ({ ...benchEnv, XDG_CACHE_HOME: xdg });

/** Runs `argv` once per round, each with a fresh cache directory. */
function measureCold(argv, n = rounds) {
  const times = [];
  let last;
  measureCommand(argv, { rounds: 1, warmup: 0, env: envWith(freshCache()) }); // page cache warm-up
  for (let i = 0; i < n; i++) {
    last = measureCommand(argv, { rounds: 1, warmup: 0, env: envWith(freshCache()) });
    times.push(last.median);
  }
  return { times, median: median(times), min: Math.min(...times), max: Math.max(...times), lastStdout: last.lastStdout };
}

function measureWarm(argv, n = rounds) {
  const xdg = freshCache();
  return measureCommand(argv, { rounds: n, warmup: 1, env: envWith(xdg) });
}

console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(" ")} (2 cores; other work on the machine inflates every figure)`);

console.log(startupNote());

// ---------------------------------------------------------------- /usr/bin/node
const heapPattern = "v8::internal::Heap::*";
const probecArgv = [process.execPath, cli, "symbols", NODE_BIN, heapPattern];
const nmArgv = ["sh", "-c", `nm -C ${NODE_BIN} | grep 'v8::internal::Heap::'`];
const bpftraceArgv = ["bpftrace", "-l", `uprobe:${NODE_BIN}:*Heap*`];
const bpftraceAvailable = spawnSync("bpftrace", ["--version"]).status === 0;
const nodeStart = measureCommand([process.execPath, "-e", "0"], { rounds });
// Round by round, so that the peers and probec see the same machine load.
const series = { nm: [], bpftrace: [], cold: [] };
let nmOut = "";
let coldOut = "";
for (let r = 0; r < rounds; r++) {
  const warmup = r === 0 ? 1 : 0;
  const nm = measureCommand(nmArgv, { rounds: 1, warmup });
  series.nm.push(nm.median);
  nmOut = nm.lastStdout;
  if (bpftraceAvailable) series.bpftrace.push(measureCommand(bpftraceArgv, { rounds: 1, warmup }).median);
  if (warmup) measureCommand(probecArgv, { rounds: 1, warmup: 0, env: envWith(freshCache()) });
  const cold = measureCommand(probecArgv, { rounds: 1, warmup: 0, env: envWith(freshCache()) });
  series.cold.push(cold.median);
  coldOut = cold.lastStdout;
}
const summary = (times) => ({ times, median: median(times), min: Math.min(...times), max: Math.max(...times) });
const nmGrep = { ...summary(series.nm), lastStdout: nmOut };
const bpftrace = bpftraceAvailable ? summary(series.bpftrace) : null;
const cold = { ...summary(series.cold), lastStdout: coldOut };
const warm = measureWarm(probecArgv);
const probecLines = cold.lastStdout.trimEnd().split("\n").length;

/**
 * CPU time (user + system, children included) of `argv` under GNU time: on a machine shared with
 * other work, wall times swing with the load while CPU times hardly move.
 */
function measureCpu(argv, makeEnv, n = rounds) {
  const times = [];
  for (let i = 0; i < n + 1; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "CPU %U %S", ...argv], { env: makeEnv(), encoding: "utf8", maxBuffer: 256 << 20 });
    const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? "");
    if (r.status !== 0 || m === null) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    if (i > 0) times.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return { times, median: median(times) };
}
const haveGnuTime = existsSync("/usr/bin/time");
const nmLines = nmGrep.lastStdout.trimEnd().split("\n").length;

printTable(`probec symbols ${NODE_BIN} '${heapPattern}' (whole process, ${rounds} rounds; node -e 0 takes ${formatMs(nodeStart.median)})`, [
  { name: "cold cache", peerLabel: "nm -C | grep", peer: nmGrep, probec: cold },
  ...(bpftrace ? [{ name: "cold cache", peerLabel: "bpftrace -l", peer: bpftrace, probec: cold }] : []),
  { name: "warm cache", peerLabel: "nm -C | grep", peer: nmGrep, probec: warm },
  ...(bpftrace ? [{ name: "warm cache", peerLabel: "bpftrace -l", peer: bpftrace, probec: warm }] : []),
]);
console.log(`goal: cold ≤ 0.5 × each peer → probec/nm|grep = ${(cold.median / nmGrep.median).toFixed(2)}` +
  (bpftrace ? `, probec/bpftrace -l = ${(cold.median / bpftrace.median).toFixed(2)}` : " (bpftrace not installed)"));
if (haveGnuTime) {
  const cpuNm = measureCpu(nmArgv, () => benchEnv);
  const cpuBpf = bpftraceAvailable ? measureCpu(bpftraceArgv, () => benchEnv) : null;
  const cpuCold = measureCpu(probecArgv, () => envWith(freshCache()));
  const cpuNode = measureCpu([process.execPath, "-e", "0"], () => benchEnv);
  printTable(`the same, CPU time (user+sys, GNU time; node -e 0 uses ${formatMs(cpuNode.median)})`, [
    { name: "cold cache", peerLabel: "nm -C | grep", peer: cpuNm, probec: cpuCold },
    ...(cpuBpf ? [{ name: "cold cache", peerLabel: "bpftrace -l", peer: cpuBpf, probec: cpuCold }] : []),
  ]);
}
console.log(`(probec printed ${probecLines} entries — Heap's own methods, .cold parts excluded, C1/C2 folded; nm|grep printed ${nmLines} lines, which also include nested classes and callers mentioning Heap::)`);

// ---------------------------------------------------------------- synthetic 1M-symbol ELF
const t0 = performance.now();
const synth = syntheticElf(1_000_000);
const genMs = performance.now() - t0;
console.log(`\nsynthetic ELF: ${synth} (${genMs > 1000 ? "generated" : "cached"} in ${formatMs(genMs)})`);
const synthArgv = [process.execPath, cli, "symbols", synth, ...SYNTHETIC_PATTERNS];
const synthRounds = Math.max(3, Math.min(rounds, 5));
const synthCold = measureCold(synthArgv, synthRounds);
const synthWarm = measureWarm(synthArgv, synthRounds);
const synthLines = synthCold.lastStdout.trimEnd().split("\n").length;

// In-process: the resolver API as `probec build` calls it (module loading excluded).
const engine = await import(pathToFileURL(join(root, "dist/compiler/symbols/resolve/index.js")).href);
const inCold = await measureFunction(() => {
  const dir = freshCache();
  const r = engine.resolve(synth, SYNTHETIC_PATTERNS, { cache: join(dir, "probec") });
  const failed = r.patterns.filter((p) => p.error !== null);
  if (failed.length > 0) throw new Error(`synthetic patterns failed: ${failed.map((p) => p.error.message).join("; ")}`);
}, { rounds: synthRounds, warmup: 1 });
const warmDir = join(freshCache(), "probec");
engine.resolve(synth, SYNTHETIC_PATTERNS, { cache: warmDir });
const inWarm = await measureFunction(() => engine.resolve(synth, SYNTHETIC_PATTERNS, { cache: warmDir }), { rounds: synthRounds, warmup: 1 });

printTable(`${SYNTHETIC_PATTERNS.length} patterns on 1,000,000 function symbols (${synthRounds} rounds; ${synthLines} entries printed)`, [
  { name: "cold cache, whole process", probec: synthCold },
  { name: "warm cache, whole process", probec: synthWarm },
  { name: "cold cache, in-process", probec: inCold },
  { name: "warm cache, in-process", probec: inWarm },
]);
console.log(`goal: cold ≤ 1 s (whole process ${formatMs(synthCold.median)}, in-process ${formatMs(inCold.median)}); ` +
  `cached ≤ 50 ms (in-process ${formatMs(inWarm.median)}, whole process ${formatMs(synthWarm.median)} incl. node start-up)`);

console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
rmSync(scratch, { recursive: true, force: true });
