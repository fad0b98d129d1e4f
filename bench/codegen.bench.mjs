// Quality of generated code: the seed port (examples/envoy/accept-flow.probe.ts, built by probec)
// against the seed's hand-written script (read from /work/shared/seed/ now, pointed at the fixture),
// both loaded into the real bpftrace against the same running fixture. The seed's kprobe part
// (kretprobe:inet_csk_accept) is left out on both sides, since this kernel cannot load kprobes; on
// both sides the same three tracepoints take its place (see HANDWRITTEN_KPROBE_REPLACEMENT).
//   - verifier-processed instructions, summed over all programs (`bpftrace -v`), goal ≤ 1.0×
//   - time to attach: whole bpftrace process with `exit()` added to BEGIN (loads every program,
//     attaches every probe, exits), median of several rounds, goal ≤ 1.0×
// Needs root and bpftrace; run after `npm run build`.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatMs, median, roundsFromEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist/compiler/cli/main.js");
const SEED_DIR = process.env.PROBEC_SEED_DIR ?? "/work/shared/seed";
const rounds = roundsFromEnv(5);
const scratch = mkdtempSync(join(tmpdir(), "probec-codegen-bench-"));

function fail(msg) {
  console.error(`codegen.bench: ${msg}`);
  process.exit(1);
}

if (!existsSync(cli)) fail("dist/ is missing; run `npm run build` first");
if (process.getuid?.() !== 0) fail("needs root (bpftrace loads uprobes)");

// ---------------------------------------------------------------- the fixture

/** The fixture builder is TypeScript under test/: compile it (and what it imports) once, then use it. */
async function fixtureBinary() {
  const out = join(root, "node_modules", ".cache", "probec-bench");
  mkdirSync(out, { recursive: true });
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "--ignoreConfig", "--outDir", out, "--rootDir", root, "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "--skipLibCheck", join(root, "test/fixtures/build-fixture.ts")],
    { encoding: "utf8" },
  );
  if (tsc.status !== 0) fail(`cannot compile the fixture builder:\n${tsc.stdout}${tsc.stderr}`);
  const mod = await import(pathToFileURL(join(out, "test/fixtures/build-fixture.js")).href);
  const built = await mod.buildFixture({ compiler: "clang", stringView: "absl-class" });
  return built.path;
}

function startFixture(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("fixture did not start")), 10_000);
    child.stdout.on("data", (d) => {
      out += d;
      if (/^LISTENING \d+$/m.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once("exit", (code) => reject(new Error(`fixture exited with ${code}`)));
  });
}

// ---------------------------------------------------------------- the two scripts

/**
 * Without its kretprobe, the seed's script writes @sockpair/@sockpair_exist nowhere and bpftrace
 * rejects it (undefined maps). The port replaces the kprobe with three tracepoints (bind gives the
 * listener's port, accept4 the peer); the same replacement, written by hand the way the seed's
 * author writes, takes the kprobe's place here, so both sides load the same set of probes.
 */
const HANDWRITTEN_KPROBE_REPLACEMENT = `
tracepoint:syscalls:sys_enter_bind
/pid==$1/
{
    $addr = (struct sockaddr_in *)args->umyaddr;
    if ($addr->sin_family == 2) {
        @boundPort[args->fd] = ($addr->sin_port >> 8) | (($addr->sin_port << 8) & 0xff00);
    }
}

tracepoint:syscalls:sys_enter_accept4
/pid==$1/
{
    @acceptArgs[tid] = (args->fd, args->upeer_sockaddr);
}

tracepoint:syscalls:sys_exit_accept4
/pid==$1 && @acceptArgs[tid].0/
{
    $args = @acceptArgs[tid];
    delete(@acceptArgs[tid]);
    if (args->ret < 0) {
        return;
    }
    $peer = (struct sockaddr_in *)$args.1;
    if ($peer->sin_family != 2) {
        return;
    }
    $lport = @boundPort[$args.0];
    if ($lport != 0 && $lport != 15006) {
        return;
    }
    $dport = ($peer->sin_port >> 8) | (($peer->sin_port << 8) & 0xff00);
    @sockpair[tid] = ($peer->sin_addr.s_addr, $dport, 0, $lport);
    @sockpair_exist[tid] = 1;
    @watchedWakeRound[tid] = tid;
}
`;

/** The seed's script: from `#!usr/bin/bpftrace` to the END block, its kprobe replaced (see above), without #includes. */
function handwrittenScript(fixturePath) {
  const file = readdirSync(SEED_DIR).find((f) => f.endsWith(".txt"));
  if (!file) fail(`no seed text in ${SEED_DIR}`);
  const text = readFileSync(join(SEED_DIR, file), "utf8");
  const start = text.indexOf("#!usr/bin/bpftrace");
  if (start < 0) fail("the seed text has no #!usr/bin/bpftrace script");
  const lines = text.slice(start).split("\n");
  const endAt = lines.findIndex((l) => /^END\s*$/.test(l));
  const endClose = lines.findIndex((l, i) => i > endAt && /^}\s*$/.test(l));
  if (endAt < 0 || endClose < 0) fail("cannot find the seed script's END block");
  const script = lines.slice(0, endClose + 1);
  // Leave out the kretprobe block: from its attach line to the first closing brace in column 0.
  const kp = script.findIndex((l) => l.startsWith("kretprobe:inet_csk_accept"));
  const kpEnd = script.findIndex((l, i) => i > kp && /^}\s*$/.test(l));
  if (kp < 0 || kpEnd < 0) fail("cannot find the seed's kretprobe:inet_csk_accept block");
  script.splice(kp, kpEnd - kp + 1, ...HANDWRITTEN_KPROBE_REPLACEMENT.split("\n"));
  return script
    .filter((l) => !l.startsWith("#include"))
    .join("\n")
    .replaceAll("/proc/${ENVOY_PID}/root/usr/local/bin/envoy", fixturePath);
}

/** Adds `exit();` to the script's BEGIN block (bpftrace allows one BEGIN), or adds such a block. */
function exitOnBegin(script) {
  const m = /^BEGIN\s*\n?\s*\{/m.exec(script);
  if (!m) return `${script}\nBEGIN { exit(); }\n`;
  const at = m.index + m[0].length;
  return `${script.slice(0, at)}\n    exit();${script.slice(at)}`;
}

function probecBuild(fixturePath) {
  const out = join(scratch, "accept-flow.bt");
  const r = spawnSync(process.execPath, [cli, "build", join(root, "examples/envoy/accept-flow.probe.ts"), "--binary", `envoy=${fixturePath}`, "-o", out], { encoding: "utf8" });
  if (r.status !== 0) fail(`probec build failed:\n${r.stdout}${r.stderr}`);
  const manifest = JSON.parse(readFileSync(out.replace(/\.bt$/, ".manifest.json"), "utf8"));
  return { script: readFileSync(out, "utf8"), env: manifest.bpftraceEnv ?? {} };
}

// ---------------------------------------------------------------- measuring

/** Runs bpftrace once on `script`; returns wall time, the per-program instruction counts, and output. */
function runBpftrace(name, script, pid, env, verbose) {
  const file = join(scratch, `${name}.bt`);
  const log = join(scratch, `${name}.log`);
  writeFileSync(file, script);
  const args = [...(verbose ? ["-v"] : []), file, String(pid)];
  // One file for stdout and stderr keeps each verifier summary next to its "Attaching" line.
  const fd = openSync(log, "w");
  const start = process.hrtime.bigint();
  const r = spawnSync("bpftrace", args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env }, timeout: 300_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  closeSync(fd);
  const output = readFileSync(log, "utf8");
  if (r.status !== 0) fail(`bpftrace refused the ${name} script (exit ${r.status}):\n${output.slice(0, 3000)}`);
  const programs = [];
  // -v prints each program's verifier summary, then "Attaching <probe>".
  const re = /processed (\d+) insns[^\n]*\n(?:[^\n]*\n)*?Attaching ([^\n]+)/g;
  for (let m; (m = re.exec(output)); ) programs.push({ insns: Number(m[1]), probe: m[2].trim() });
  return { ms, programs };
}

const fixturePath = await fixtureBinary();
const fixture = await startFixture(fixturePath);
try {
  const hand = exitOnBegin(handwrittenScript(fixturePath));
  const port = probecBuild(fixturePath);
  const ours = exitOnBegin(port.script);

  const handV = runBpftrace("handwritten", hand, fixture.pid, {}, true);
  const oursV = runBpftrace("probec", ours, fixture.pid, port.env, true);
  const total = (ps) => ps.reduce((n, p) => n + p.insns, 0);

  // Per attach point: tracepoints by name; uprobes in one bucket (bpftrace prints a wildcard's
  // pattern for each match on the hand-written side, the exact mangled name on ours).
  const byProbe = (ps) => {
    const m = new Map();
    for (const p of ps) {
      const key = p.probe.startsWith("uprobe:") ? "uprobes" : p.probe.startsWith("uretprobe:") ? "uretprobes" : p.probe;
      const e = m.get(key) ?? { programs: 0, insns: 0 };
      m.set(key, { programs: e.programs + 1, insns: e.insns + p.insns });
    }
    return m;
  };
  const h = byProbe(handV.programs);
  const o = byProbe(oursV.programs);

  const attach = (name, script, env) => {
    const times = [];
    runBpftrace(name, script, fixture.pid, env, false); // warm-up: page cache, BTF
    for (let i = 0; i < rounds; i++) times.push(runBpftrace(name, script, fixture.pid, env, false).ms);
    return median(times);
  };
  const handMs = attach("handwritten", hand, {});
  const oursMs = attach("probec", ours, port.env);

  console.log(`\ncodegen: seed port vs hand-written seed script on the fixture (${fixturePath})`);
  console.log(`  programs loaded               hand-written ${handV.programs.length}, probec ${oursV.programs.length}`);
  console.log(`  verifier insns, all programs  hand-written ${total(handV.programs)}, probec ${total(oursV.programs)}, ratio probec/hand ${(total(oursV.programs) / total(handV.programs)).toFixed(2)}x (goal <= 1.0x)`);
  console.log(`  time to attach (median of ${rounds}) hand-written ${formatMs(handMs)}, probec ${formatMs(oursMs)}, ratio probec/hand ${(oursMs / handMs).toFixed(2)}x (goal <= 1.0x)`);
  console.log("\n  per attach point (programs p, instructions i): hand-written | probec");
  for (const n of [...new Set([...h.keys(), ...o.keys()])]) {
    const cell = (e) => (e ? `${e.programs}p ${e.insns}i` : "-");
    console.log(`    ${cell(h.get(n)).padStart(12)} | ${cell(o.get(n)).padEnd(12)}  ${n}`);
  }
} finally {
  fixture.kill("SIGTERM");
}
