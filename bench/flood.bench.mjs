#!/usr/bin/env node
// Under a flood of events (a tight loop calling getppid(), traced by a tracepoint: well over 50k
// events/s here, more than uprobes allow), does `probec run` keep up with bpftrace? Same script, same
// flood, in the same run: bpftrace writing to a file (the peer), and `probec run` decoding it all to
// jsonl. Reports events/s, the kernel's lost events for both, probec's memory over the run and the
// most decoded items ever waiting (the unread output must not grow). Needs root and bpftrace.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, roundsFromEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist", "compiler", "cli", "main.js");
const CALLS = Number(process.env.FLOOD_CALLS ?? 1_000_000);

if (process.getuid?.() !== 0 || spawnSync("bpftrace", ["--version"]).status !== 0) {
  const msg = "flood bench: needs root and bpftrace";
  if (process.env.CI === "true") {
    console.error(msg);
    process.exit(1);
  }
  console.log(`${msg}; skipped`);
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error("flood bench: dist/ is missing; run npm run build");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "probec-flood-"));
const flood = join(dir, "probec-flood");
writeFileSync(
  join(dir, "flood.c"),
  `#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) { long n = atol(argv[1]); for (long i = 0; i < n; i++) syscall(SYS_getppid); return 0; }
`,
);
const cc = spawnSync("cc", ["-O2", "-o", flood, join(dir, "flood.c")], { encoding: "utf8" });
if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);

const script = join(dir, "flood.bt");
writeFileSync(script, `tracepoint:syscalls:sys_enter_getppid /comm == "probec-flood"/ { print((1, nsecs, pid, tid, comm, (int32)args->__syscall_nr, "sni.example.com")); }\n`);
const loc = { file: "flood.probe.ts", line: 1, column: 1 };
writeFileSync(
  join(dir, "flood.manifest.json"),
  JSON.stringify({
    manifestVersion: 1, probecVersion: "0.1.0", source: "flood.probe.ts", bpftraceVersion: "0.17", binaries: [], params: [], probes: [],
    events: [{ name: "getppid", tag: 1, loc, fields: [{ name: "nr", type: { kind: "int", bits: 32, signed: true } }, { name: "host", type: { kind: "string" } }] }],
    maps: [], lineMap: [], warnings: [],
  }),
);

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

function runProcess(argv) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => (stderr += d));
    const samples = [];
    const timer = setInterval(() => {
      const rss = rssKb(child.pid);
      if (!Number.isNaN(rss)) samples.push(rss);
    }, 100);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}\n${stderr.slice(0, 2000)}`));
      else resolve({ ms, stdout: Buffer.concat(out).toString("utf8"), rss: samples });
    });
  });
}

async function peerRound() {
  // bpftrace alone, its JSON going straight to a file: the rate bpftrace itself manages.
  const outFile = join(dir, "peer.json");
  const r = await new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("sh", ["-c", 'exec bpftrace -f json "$0" -c "$1 $2" > "$3"', script, flood, String(CALLS), outFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => (code === 0 ? resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6 }) : reject(new Error(`bpftrace exited ${code}: ${stderr}`))));
  });
  let events = 0;
  let lost = 0;
  for (const line of readFileSync(outFile, "utf8").split("\n")) {
    if (line.startsWith('{"type": "value"')) events++;
    else if (line.startsWith('{"type": "lost_events"')) lost += JSON.parse(line).data.events;
  }
  return { ms: r.ms, events, lost };
}

async function probecRound() {
  const outFile = join(dir, "probec.jsonl");
  const r = await runProcess([process.execPath, cli, "run", script, "-c", `${flood} ${CALLS}`, "--format", "jsonl", "-o", outFile]);
  const lines = readFileSync(outFile, "utf8").trim().split("\n");
  const summary = JSON.parse(lines[lines.length - 1]);
  if (summary.type !== "summary") throw new Error("probec run wrote no summary");
  return { ms: r.ms, events: summary.totalEvents, lost: summary.lost, malformed: summary.malformed, backlog: summary.backlogHighWater, rss: r.rss };
}

const rounds = roundsFromEnv(3);
const peer = [];
const probec = [];
try {
  for (let i = 0; i < rounds; i++) {
    peer.push(await peerRound());
    probec.push(await probecRound());
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rate = (r) => (r.events / r.ms) * 1000;
const fmt = (n) => Math.round(n).toLocaleString("en-US");
console.log(`\nflood: ${fmt(CALLS)} getppid() calls per round, ${rounds} rounds (tracepoint, one event each)`);
console.log("run     events/s (median)  events (median)  lost (median)  wall (median)");
console.log(`bpftrace>file  ${fmt(median(peer.map(rate))).padStart(10)}  ${fmt(median(peer.map((r) => r.events))).padStart(15)}  ${fmt(median(peer.map((r) => r.lost))).padStart(13)}  ${(median(peer.map((r) => r.ms)) / 1000).toFixed(1)} s`);
console.log(`probec run     ${fmt(median(probec.map(rate))).padStart(10)}  ${fmt(median(probec.map((r) => r.events))).padStart(15)}  ${fmt(median(probec.map((r) => r.lost))).padStart(13)}  ${(median(probec.map((r) => r.ms)) / 1000).toFixed(1)} s`);
const ratio = median(probec.map(rate)) / median(peer.map(rate));
console.log(`probec/bpftrace events/s ratio: ${ratio.toFixed(2)}; malformed: ${probec.map((r) => r.malformed).join(", ")}`);
for (const [i, r] of probec.entries()) {
  const first = r.rss.slice(0, Math.max(1, Math.floor(r.rss.length / 4)));
  const last = r.rss.slice(-Math.max(1, Math.floor(r.rss.length / 4)));
  console.log(
    `round ${i + 1}: probec RSS first quarter median ${fmt(median(first) / 1024)} MB, last quarter median ${fmt(median(last) / 1024)} MB, max ${fmt(Math.max(...r.rss) / 1024)} MB (${r.rss.length} samples); most items waiting at once: ${fmt(r.backlog)}`,
  );
}
// Keeping up means delivering (nearly) what bpftrace alone delivers: events lost because probec
// read too slowly show up as the kernel's lost_events, which bpftrace writing to a file avoids.
const delivered = (runs) => median(runs.map((r) => r.events / CALLS));
console.log(`delivered (events / calls): bpftrace>file ${(delivered(peer) * 100).toFixed(1)}%, probec run ${(delivered(probec) * 100).toFixed(1)}%`);
const keepsUp = delivered(probec) >= 0.95 * delivered(peer);
console.log(keepsUp ? "flood bench: probec keeps up with bpftrace" : "flood bench: probec FELL BEHIND bpftrace (more events lost than bpftrace writing to a file)");
if (!keepsUp) process.exitCode = 1;
