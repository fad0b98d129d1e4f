// Offline decode (runtime/offline): bad recordings give coded problems with file and line, a
// recording of another script stops at its first foreign event, several recordings merge into one
// labelled timeline aligned on each one's first event, and bare stack addresses are symbolised from
// the manifest's binary through the mappings a recording carries.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openElf } from "../../../compiler/symbols/elf/index.js";
import { decodeRecordings } from "../../../runtime/offline/decode-recordings.js";
import { formatDecodeProblem } from "../../../runtime/offline/decode-error.js";
import type { StackFrame } from "../../../runtime/types.js";
import { handwrittenManifest } from "../../e2e/run-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "probec-decode-unit-"));
const manifest = handwrittenManifest();
const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
};
const socketEvent = (ts: number, pid = 10) => `{"type": "value", "data": [2, ${ts}, ${pid}, ${pid}, "envoy", 1]}`;

describe("probec decode: problems have codes and places", () => {
  it("a line that is not JSON, a text line and a partial last line are PC9681 at their lines; the rest decodes", () => {
    const path = write("bad.jsonl", ['{"type": "attached_probes", "data": {"probes": 3}}', socketEvent(100), "Attaching 3 probes...", '{"type": "value", "data": [2, 1', socketEvent(200), '{"type": "value", "data": [2, 3']);
    const r = decodeRecordings({ manifest, recordings: [{ path }] });
    expect(r.problems.map((p) => [p.code, p.line, p.fatal])).toEqual([
      [9681, 3, false],
      [9681, 4, false],
      [9681, 6, false],
    ]);
    expect(formatDecodeProblem(r.problems[1]!)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4: error PC9681: not valid JSON`));
    expect(r.summary.totalEvents).toBe(2);
  });

  it("a recording of another script is PC9682 at its first foreign event, and decoding that file stops", () => {
    const path = write("other.jsonl", [socketEvent(100), '{"type": "value", "data": [7, 5, 10, 10, "envoy", "x", 4]}', socketEvent(300)]);
    const r = decodeRecordings({ manifest, recordings: [{ path }] });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 9682, file: path, line: 2, fatal: true });
    expect(r.problems[0]!.message).toMatch(/not made with the manifest's script \(unknown event tag 7\)/);
    expect(r.summary.totalEvents).toBe(1);
    const arity = write("arity.jsonl", ['{"type": "value", "data": [2, 5, 10, 10, "envoy", 1, 2, 3]}']);
    expect(decodeRecordings({ manifest, recordings: [{ path: arity }] }).problems[0]).toMatchObject({ code: 9682, line: 1 });
  });

  it("a missing recording is PC9680", () => {
    const r = decodeRecordings({ manifest, recordings: [{ path: join(dir, "nope.jsonl") }] });
    expect(r.problems[0]).toMatchObject({ code: 9680, line: 0, fatal: true, message: "cannot read recording: no such file" });
  });
});

describe("probec decode: several recordings, one timeline", () => {
  it("labels each event, starts each recording's clock at its first event, and orders the merge by it", () => {
    const a = write("node-a.jsonl", [socketEvent(1_000_000, 7), socketEvent(1_000_500, 7)]);
    const b = write("b.jsonl", ['{"type": "probec_label", "data": "shop/web-1@node-b"}', socketEvent(9_000_000_200, 7), socketEvent(9_000_000_900, 7)]);
    const r = decodeRecordings({ manifest, recordings: [{ path: a }, { path: b }] });
    expect(r.problems).toEqual([]);
    expect(r.labels).toEqual(["node-a", "shop/web-1@node-b"]);
    const events = r.items.flatMap((i) => (i.kind === "event" ? [[i.event.recording, i.event.ts]] : []));
    expect(events).toEqual([
      ["node-a", 0],
      ["shop/web-1@node-b", 0],
      ["node-a", 500],
      ["shop/web-1@node-b", 700],
    ]);
  });

  it("one recording decodes as probec run does: no label, bpftrace's own timestamps", () => {
    const a = write("single.jsonl", [socketEvent(1_000_000)]);
    const [item] = decodeRecordings({ manifest, recordings: [{ path: a }] }).items;
    expect(item).toMatchObject({ kind: "event", event: { ts: 1_000_000 } });
    expect((item as { event: object }).event).not.toHaveProperty("recording");
  });
});

describe("probec decode: bare stack addresses from the manifest's binaries", () => {
  it("places an address through a recorded mapping of the binary and names its function", () => {
    const binary = "/usr/bin/node";
    const elf = openElf(binary);
    let vaddr = 0;
    let name = "";
    let segment;
    try {
      const syms = elf.functionSymbols();
      for (let i = 0; i < syms.count && vaddr === 0; i++) {
        const n = syms.name(i);
        if (syms.size[i]! > 16 && /^[a-z_]\w+$/.test(n) && !n.startsWith("_Z")) {
          vaddr = syms.address[i]!;
          name = n;
        }
      }
      segment = elf.loadMap.segments.find((s) => vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz)!;
    } finally {
      elf.close();
    }
    const pageOffset = segment.offset - (segment.offset % 4096);
    const base = 0x5600_0000_0000;
    const start = base + (segment.vaddr - (segment.offset - pageOffset));
    const address = start + (vaddr - segment.vaddr) + (segment.offset - pageOffset) + 4;
    const hex = (n: number) => n.toString(16);
    const mapsLine = `${hex(start)}-${hex(start + segment.filesz + 8192)} r-xp ${hex(pageOffset).padStart(8, "0")} 08:01 1234 /usr/local/bin/envoy`;
    const m = { ...manifest, binaries: [{ name: "envoy", path: binary, buildId: null, arch: "x86_64" as const, stdlib: "unknown" as const }] };
    const path = write("stacks.jsonl", [
      JSON.stringify({ type: "probec_maps", data: { pid: 7, binary: "envoy", line: mapsLine } }).replace('{"type":"probec_maps"', '{"type": "probec_maps"'),
      String.raw`{"type": "map", "data": {"@wakeStacks": {"\n    0x${hex(address)}\n    0x10\n": 3}}}`,
    ]);
    const r = decodeRecordings({ manifest: m, recordings: [{ path }] });
    expect(r.problems).toEqual([]);
    const frames = r.summary.maps.find((x) => x.name === "wakeStacks")!.entries[0]!.key![0] as StackFrame[];
    expect(frames[0]).toMatchObject({ symbol: name, offset: 4, module: binary });
    expect(frames[1]).toMatchObject({ symbol: null, address: "0x10" });
  });
});

describe("probec decode (CLI)", () => {
  const CLI = fileURLToPath(new URL("../../../dist/compiler/cli/main.js", import.meta.url));
  it("a missing manifest is PC9655 naming the file; no recording is a usage error", () => {
    const rec = write("cli.jsonl", [socketEvent(1)]);
    const r = spawnSync(process.execPath, [CLI, "decode", rec, "--manifest", join(dir, "missing.manifest.json")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing\.manifest\.json.*PC9655/s);
    const u = spawnSync(process.execPath, [CLI, "decode", "--manifest", "x.json"], { encoding: "utf8" });
    expect(u.status).toBe(2);
  });
});
