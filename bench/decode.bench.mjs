#!/usr/bin/env node
// Decoder throughput on a recorded-shape stream of 1,000,000 bpftrace 0.17 JSON lines (events with
// ints, hostile strings in 0.17's \uffffffXX escaping, sized strings, stacks, split events with
// continuation lines, printf, lost_events), against bare line splitting + JSON.parse in the same run.
// Goal: the decoder reaches >= 0.5x the bare throughput. Uses the built runtime (dist/).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, measureFunction, median, printTable, roundsFromEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "dist", "runtime", "index.js");
if (!existsSync(dist)) {
  console.error("decode bench: dist/runtime is missing; run npm run build");
  process.exit(1);
}
const { LineDecoder } = await import(dist);

const LINES = Number(process.env.DECODE_LINES ?? 1_000_000);
const loc = { file: "bench.probe.ts", line: 1, column: 1 };
const i32 = { kind: "int", bits: 32, signed: true };
const u64 = { kind: "int", bits: 64, signed: false };
const manifest = {
  events: [
    { name: "accepted", tag: 1, loc, fields: [{ name: "fd", type: i32 }, { name: "port", type: { kind: "int", bits: 16, signed: false } }] },
    { name: "sni", tag: 2, loc, fields: [{ name: "name", type: { kind: "sizedString", limit: 199 } }, { name: "conn", type: u64 }] },
    { name: "wake", tag: 3, loc, fields: [{ name: "fd", type: i32 }, { name: "stack", type: { kind: "ustack" } }] },
    {
      name: "chain",
      tag: 4,
      loc,
      fields: [{ name: "stack", type: { kind: "ustack" } }, { name: "name", type: { kind: "sizedString", limit: 199 } }],
      layout: {
        lines: [
          { part: 0, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }, { kind: "field", field: "stack" }] },
          { part: 1, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "tid" }, { kind: "part" }, { kind: "text", field: "name" }, { kind: "length", field: "name" }] },
        ],
      },
    },
  ],
  maps: [],
};

const encoded = new Map();
/** JSON text of bytes the way bpftrace 0.17 writes it (bytes >= 0x80 as \uffffffXX); memoised. */
function bpftrace017String(text) {
  let hit = encoded.get(text);
  if (hit === undefined) {
    hit = encode017(text);
    if (encoded.size < 10000) encoded.set(text, hit);
  }
  return hit;
}

function encode017(text) {
  let out = '"';
  for (const b of Buffer.from(text, "utf8")) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x09) out += "\\t";
    else if (b < 0x20) out += `\\u${b.toString(16).padStart(4, "0")}`;
    else if (b >= 0x80) out += `\\uffffff${b.toString(16)}`;
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

const SNIS = ["api.example.com", 'we"ird\'host"', "back\\slash\\\\host\\n", "héllo-wörld.例え.テスト", "tab\there\u0001bell", "x".repeat(150) + ".example"];
const STACK = bpftrace017String(
  "\n        Envoy::Network::TcpListenerImpl::onSocketEvent(short)+0\n        Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_1::__invoke(int, short, void*)+33\n        event_process_active_single_queue+1187\n        0x7f81ac59d24a\n",
);

function generate(n) {
  const lines = ['{"type": "attached_probes", "data": {"probes": 12}}'];
  let ts = 2_100_000_000_000;
  for (let i = 0; lines.length < n; i++) {
    ts += 1000 + (i % 7);
    const tid = 4000 + (i % 4);
    const r = i % 20;
    if (r < 10) lines.push(`{"type": "value", "data": [1,${ts},4000,${tid},"envoy",${i % 1000},${(i * 7) % 65536}]}`);
    else if (r < 14) {
      const sni = SNIS[i % SNIS.length];
      lines.push(`{"type": "value", "data": [2,${ts},4000,${tid},"envoy",${bpftrace017String(sni)},${Buffer.byteLength(sni)},${i}]}`);
    } else if (r < 17) lines.push(`{"type": "value", "data": [3,${ts},4000,${tid},"wrk:worker_0",${i % 100},${STACK}]}`);
    else if (r < 19) {
      const sni = SNIS[(i + 3) % SNIS.length];
      lines.push(`{"type": "value", "data": [4,${ts},4000,${tid},"envoy",${STACK}]}`);
      lines.push(`{"type": "value", "data": [-4,${ts},${tid},1,${bpftrace017String("chain:" + sni)},${Buffer.byteLength(sni) + 6}]}`);
    } else if (i % 400 === 19) lines.push('{"type": "lost_events", "data": {"events": 3}}');
    else lines.push(`{"type": "printf", "data": ${bpftrace017String(`accept sni=${SNIS[i % SNIS.length]}\n`).slice(0, -1)}fd=${i}\\n"}`);
  }
  lines.length = n;
  return lines.join("\n") + "\n";
}

const started = Date.now();
const stream = generate(LINES);
console.log(`generated ${LINES} lines (${(stream.length / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);

/** Splits the stream into lines in 64 KiB chunks, as a pipe would deliver it. */
function forEachLine(text, fn) {
  const CHUNK = 65536;
  let pending = "";
  for (let at = 0; at < text.length; at += CHUNK) {
    const chunk = pending + text.slice(at, at + CHUNK);
    let start = 0;
    let nl;
    while ((nl = chunk.indexOf("\n", start)) >= 0) {
      fn(chunk.slice(start, nl));
      start = nl + 1;
    }
    pending = chunk.slice(start);
  }
  if (pending) fn(pending);
}

let sink = 0;
function bare() {
  forEachLine(stream, (line) => {
    if (line.length > 0) sink += JSON.parse(line).type.length;
  });
}

let decoded = { events: 0, malformed: 0 };
function decode() {
  const d = new LineDecoder(manifest);
  let events = 0;
  let malformed = 0;
  const count = (item) => {
    if (item.kind === "event") events++;
    else if (item.kind === "malformed") malformed++;
  };
  forEachLine(stream, (line) => d.decodeInto(line, count));
  decoded = { events, malformed };
}

// Check the decoder's work before timing it: byte-exact names, nothing malformed.
{
  const d = new LineDecoder(manifest);
  const first = [];
  forEachLine(stream.slice(0, stream.lastIndexOf("\n", 20000)), (l) => first.push(...d.decode(l)));
  const names = first.filter((i) => i.kind === "event" && i.event.event === "sni").map((i) => i.event.fields.name.text);
  for (const n of names) if (!SNIS.includes(n)) throw new Error(`decoder produced a wrong name: ${JSON.stringify(n)}`);
  const bad = first.find((i) => i.kind === "malformed");
  if (bad) throw new Error(`decoder reported a malformed line on the generated stream: ${JSON.stringify(bad.malformed)}`);
}

const rounds = roundsFromEnv(5);
// Rounds alternate (bare, decoder, bare, …) so both see the same machine load (a shared 2-core box).
const bareTimes = [];
const decoderTimes = [];
for (let i = 0; i < rounds + 1; i++) {
  const b = await measureFunction(bare, { rounds: 1, warmup: 0 });
  const d = await measureFunction(decode, { rounds: 1, warmup: 0 });
  if (i > 0) {
    bareTimes.push(b.median);
    decoderTimes.push(d.median);
  }
}
const summary = (times) => ({ times, median: median(times), min: Math.min(...times), max: Math.max(...times) });
const bareResult = summary(bareTimes);
const decoderResult = summary(decoderTimes);
const mLinesPerSec = (ms) => (LINES / ms / 1000).toFixed(2);
printTable(`decode ${LINES} lines in-process (peer: split + JSON.parse)`, [{ name: "decode", peer: bareResult, probec: decoderResult, peerLabel: "split+JSON.parse" }]);
const ratio = bareResult.median / decoderResult.median;
console.log(`bare: ${mLinesPerSec(bareResult.median)} M lines/s; decoder: ${mLinesPerSec(decoderResult.median)} M lines/s; decoder/bare throughput = ${ratio.toFixed(2)} (goal >= 0.50)`);
console.log(`decoded ${decoded.events} events, ${decoded.malformed} malformed (sink ${sink > 0 ? "ok" : "empty"})`);

if (process.env.DECODE_IN_PROCESS_ONLY === "1") process.exit(ratio >= 0.5 ? 0 : 1);

// Whole process, as a user runs it: `probec run --replay` decodes a recorded stream and writes jsonl.
const dir = mkdtempSync(join(tmpdir(), "probec-decode-bench-"));
try {
  const recorded = join(dir, "recorded.json");
  writeFileSync(recorded, stream);
  const manifestPath = join(dir, "bench.manifest.json");
  writeFileSync(join(dir, "bench.bt"), "// replay only\n");
  writeFileSync(
    manifestPath,
    JSON.stringify({ manifestVersion: 1, probecVersion: "0.1.0", source: "bench.probe.ts", bpftraceVersion: "0.17", binaries: [], params: [], probes: [], ...manifest, lineMap: [], warnings: [] }),
  );
  const peerScript = `const t=require("fs").readFileSync(${JSON.stringify(recorded)},"utf8");let n=0;for(const l of t.split("\\n"))if(l)n+=JSON.parse(l).type.length;`;
  const procRounds = roundsFromEnv(3);
  const peer = measureCommand([process.execPath, "-e", peerScript], { rounds: procRounds });
  const probec = measureCommand([process.execPath, join(root, "dist", "compiler", "cli", "main.js"), "run", join(dir, "bench.bt"), "--replay", recorded, "--format", "jsonl", "-o", "/dev/null"], { rounds: procRounds });
  printTable("whole process: read + decode (peer: node split + JSON.parse; probec: run --replay, jsonl to /dev/null)", [{ name: "replay", peer, probec, peerLabel: "node -e" }]);
  const ok = ratio >= 0.5;
  console.log(ok ? "decode bench: goal met" : "decode bench: GOAL MISSED (decoder < 0.5x bare JSON.parse)");
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
